// Package smstest holds the tests that every sms.CodeStore and
// sms.ChoiceStore must pass, so the in-memory stores and the shared ones
// are held to the same behaviour. Only tests import it.
package smstest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"hotline/channels/sms"
)

// Pair is two handles on one store's state, standing for two gateway
// instances: the same store twice in memory, two clients of one Redis.
type Pair[S any] func(t *testing.T) (S, S)

// CodeStoreSuite is what every sms.CodeStore must pass. It runs one
// subtest per behaviour, each on fresh, empty state from open: a right
// code works once and from either handle, a wrong, expired or replaced
// one does not, the last wrong try ends the code, the send limits per
// number and per conversation hold and a refused code counts nothing,
// and concurrent tries and reservations are counted exactly.
//
// open may register cleanups on the t it is given; it is called once per
// subtest.
func CodeStoreSuite(t *testing.T, open Pair[sms.CodeStore]) {
	t.Helper()
	tests := []struct {
		name string
		run  func(*testing.T, sms.CodeStore, sms.CodeStore)
	}{
		{"right code works once", testRightCode},
		{"expired code", testExpired},
		{"tries used up", testTriesUsedUp},
		{"new code replaces the old", testReplaced},
		{"conversations apart", testConversationsApart},
		{"number limits", testNumberLimits},
		{"conversation limit", testConversationLimit},
		{"refused code counts nothing", testRefusedCountsNothing},
		{"concurrent tries", testConcurrentTries},
		{"concurrent reservations", testConcurrentReservations},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := open(t)
			tc.run(t, a, b)
		})
	}
}

// base is the instant the tests' times are built from; the stores go by
// the times given, not their own clocks.
var base = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

const phone = "+8613800138000"

// digest stands for a code's hash.
func digest(conv, code string) [32]byte { return sha256.Sum256([]byte(conv + "\x00" + code)) }

// pending is a fresh code for conv sent at base.
func pending(conv, code string) sms.PendingCode {
	return sms.PendingCode{Phone: phone, Hash: digest(conv, code), Expires: base.Add(sms.CodeLife),
		Tries: sms.CodeTries}
}

func put(t *testing.T, s sms.CodeStore, conv string, p sms.PendingCode) {
	t.Helper()
	if err := s.Put(context.Background(), conv, p); err != nil {
		t.Fatalf("put %s: %v", conv, err)
	}
}

// try tries a code at base plus d.
func try(s sms.CodeStore, conv, code string, d time.Duration) (string, error) {
	return s.Try(context.Background(), conv, digest(conv, code), base.Add(d))
}

func wantTry(t *testing.T, s sms.CodeStore, conv, code string, d time.Duration, want error) {
	t.Helper()
	got, err := try(s, conv, code, d)
	switch {
	case want == nil && (err != nil || got != phone):
		t.Fatalf("try %s %s: %q, %v; want the number", conv, code, got, err)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("try %s %s: %q, %v; want %v", conv, code, got, err, want)
	}
}

func testRightCode(t *testing.T, a, b sms.CodeStore) {
	wantTry(t, b, "c1", "123456", 0, sms.ErrBindCode) // nothing pending
	put(t, a, "c1", pending("c1", "123456"))
	wantTry(t, b, "c1", "654321", time.Minute, sms.ErrBindCode)
	wantTry(t, b, "c1", "123456", 2*time.Minute, nil) // sent by one, checked by the other
	wantTry(t, a, "c1", "123456", 2*time.Minute, sms.ErrBindCode)
}

func testExpired(t *testing.T, a, b sms.CodeStore) {
	put(t, a, "c1", pending("c1", "123456"))
	wantTry(t, b, "c1", "123456", sms.CodeLife, sms.ErrBindCode)
	wantTry(t, b, "c1", "123456", time.Minute, sms.ErrBindCode) // an expired code is gone
	put(t, a, "c2", pending("c2", "123456"))
	wantTry(t, b, "c2", "123456", sms.CodeLife-time.Second, nil)
}

func testTriesUsedUp(t *testing.T, a, b sms.CodeStore) {
	put(t, a, "c1", pending("c1", "123456"))
	for i := 1; i <= sms.CodeTries; i++ {
		want := sms.ErrBindCode
		if i == sms.CodeTries {
			want = sms.ErrBindLimited
		}
		s := []sms.CodeStore{a, b}[i%2]
		wantTry(t, s, "c1", fmt.Sprintf("99999%d", i), time.Duration(i)*time.Second, want)
	}
	wantTry(t, a, "c1", "123456", time.Minute, sms.ErrBindCode)

	// The right code on the last try still works.
	put(t, a, "c2", pending("c2", "123456"))
	for i := 1; i < sms.CodeTries; i++ {
		wantTry(t, b, "c2", fmt.Sprintf("99999%d", i), time.Second, sms.ErrBindCode)
	}
	wantTry(t, b, "c2", "123456", time.Second, nil)
}

func testReplaced(t *testing.T, a, b sms.CodeStore) {
	put(t, a, "c1", pending("c1", "111111"))
	for i := 1; i < sms.CodeTries; i++ {
		wantTry(t, b, "c1", "999999", time.Second, sms.ErrBindCode)
	}
	put(t, b, "c1", pending("c1", "222222"))
	for i := 1; i < sms.CodeTries; i++ { // the new code has all its tries
		wantTry(t, a, "c1", "111111", time.Second, sms.ErrBindCode)
	}
	wantTry(t, a, "c1", "222222", time.Second, nil)
}

func testConversationsApart(t *testing.T, a, b sms.CodeStore) {
	put(t, a, "c1", pending("c1", "123456"))
	got, err := b.Try(context.Background(), "c2", digest("c1", "123456"), base)
	if !errors.Is(err, sms.ErrBindCode) {
		t.Fatalf("c1's code in c2: %q, %v", got, err)
	}
	wantTry(t, b, "c1", "123456", time.Second, nil)
}

// reserve reserves a code at base plus d.
func reserve(s sms.CodeStore, conv, number string, d time.Duration) error {
	return s.Reserve(context.Background(), conv, number, base.Add(d))
}

func wantReserve(t *testing.T, s sms.CodeStore, conv, number string, d time.Duration, want error) {
	t.Helper()
	if err := reserve(s, conv, number, d); !errors.Is(err, want) {
		t.Fatalf("reserve %s %s at +%v: %v, want %v", conv, number, d, err, want)
	}
}

func testNumberLimits(t *testing.T, a, b sms.CodeStore) {
	wantReserve(t, a, "c1", phone, 0, nil)
	wantReserve(t, b, "c2", phone, 30*time.Second, sms.ErrBindLimited) // within a minute
	wantReserve(t, b, "c2", phone, sms.CodeGap, nil)
	for i := 2; i < sms.CodesPerHour; i++ {
		wantReserve(t, []sms.CodeStore{a, b}[i%2], fmt.Sprint("c", i+1), phone, time.Duration(i)*sms.CodeGap, nil)
	}
	wantReserve(t, a, "c9", phone, 30*time.Minute, sms.ErrBindLimited) // a sixth within the hour
	wantReserve(t, b, "c9", "+8613900139000", 30*time.Minute, nil)     // another number is apart
	wantReserve(t, b, "c9", phone, time.Hour, nil)                     // the first has left the hour
}

func testConversationLimit(t *testing.T, a, b sms.CodeStore) {
	for i := range sms.CodesPerHour {
		wantReserve(t, []sms.CodeStore{a, b}[i%2], "c1", fmt.Sprintf("+861390013900%d", i), time.Duration(i)*time.Second, nil)
	}
	wantReserve(t, a, "c1", "+8613900139009", 59*time.Minute, sms.ErrBindLimited)
	wantReserve(t, b, "c2", "+8613900139009", 59*time.Minute, nil)
	wantReserve(t, b, "c1", "+8613900139008", time.Hour, nil)
}

func testRefusedCountsNothing(t *testing.T, a, b sms.CodeStore) {
	for i := range sms.CodesPerHour {
		wantReserve(t, a, "c1", fmt.Sprintf("+861390013900%d", i), 0, nil)
	}
	// Refused for the conversation: the number has had no code.
	wantReserve(t, b, "c1", phone, time.Second, sms.ErrBindLimited)
	wantReserve(t, b, "c2", phone, 2*time.Second, nil)
	// Refused for the number: the conversation has had no code.
	wantReserve(t, a, "c3", phone, 3*time.Second, sms.ErrBindLimited)
	for i := range sms.CodesPerHour {
		wantReserve(t, b, "c3", fmt.Sprintf("+861370013700%d", i), 4*time.Second, nil)
	}
}

// rounds is how often the concurrent tests repeat, to give a race its
// chances.
const rounds = 10

// testConcurrentTries races wrong tries from both handles: one fewer
// than the tries leaves the code working, as many as the tries or more
// end it with exactly one ErrBindLimited.
func testConcurrentTries(t *testing.T, a, b sms.CodeStore) {
	for r := range rounds {
		conv := fmt.Sprint("under-", r)
		put(t, a, conv, pending(conv, "123456"))
		if limited := raceTries(t, a, b, conv, sms.CodeTries-1); limited != 0 {
			t.Fatalf("round %d: %d tries ended the code, want none", r, limited)
		}
		wantTry(t, a, conv, "123456", time.Second, nil)

		conv = fmt.Sprint("over-", r)
		put(t, b, conv, pending(conv, "123456"))
		if limited := raceTries(t, a, b, conv, 3*sms.CodeTries); limited != 1 {
			t.Fatalf("round %d: %d tries were the last, want exactly one", r, limited)
		}
		wantTry(t, b, conv, "123456", time.Second, sms.ErrBindCode)
	}
}

// raceTries makes n wrong tries at once, half through each handle, and
// returns how many were refused as the last.
func raceTries(t *testing.T, a, b sms.CodeStore, conv string, n int) int {
	t.Helper()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		limited int
	)
	start := make(chan struct{})
	for i := range n {
		s := []sms.CodeStore{a, b}[i%2]
		wg.Go(func() {
			<-start
			_, err := try(s, conv, "000000", time.Second)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, sms.ErrBindLimited):
				limited++
			case !errors.Is(err, sms.ErrBindCode):
				t.Errorf("a wrong try: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	return limited
}

// testConcurrentReservations races codes to one number from many
// conversations at one moment: one goes.
func testConcurrentReservations(t *testing.T, a, b sms.CodeStore) {
	for r := range rounds {
		number := fmt.Sprintf("+86139001390%02d", r)
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		start := make(chan struct{})
		for i := range 8 {
			s := []sms.CodeStore{a, b}[i%2]
			wg.Go(func() {
				<-start
				err := reserve(s, fmt.Sprintf("c%d-%d", r, i), number, 0)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case !errors.Is(err, sms.ErrBindLimited):
					t.Errorf("reserve: %v", err)
				}
			})
		}
		close(start)
		wg.Wait()
		if won != 1 {
			t.Fatalf("round %d: %d codes went to one number at once, want 1", r, won)
		}
	}
}
