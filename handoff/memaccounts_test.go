package handoff

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestMemAccountStore_ReturnsCopies(t *testing.T) {
	ctx := context.Background()
	m := NewMemAccountStore()
	in := Account{ID: "a1", Groups: []string{"billing"}, PasswordHash: []byte("hash")}
	if err := m.CreateAccount(ctx, in); err != nil {
		t.Fatal(err)
	}
	in.Groups[0], in.PasswordHash[0] = "changed", 'X'

	got, _ := m.Account(ctx, "a1")
	got.Groups[0] = "changed too"
	all, _ := m.Accounts(ctx)
	again, _ := m.Account(ctx, "a1")
	if again.Groups[0] != "billing" || string(again.PasswordHash) != "hash" ||
		all[0].Groups[0] != "billing" || again.Version != 1 {
		t.Fatalf("stored account changed through a caller's slice: %+v", again)
	}
}

func TestMemAccountStore_UpdateConflict(t *testing.T) {
	ctx := context.Background()
	m := NewMemAccountStore()
	_ = m.CreateAccount(ctx, Account{ID: "a1"})
	a, _ := m.Account(ctx, "a1")
	if err := m.UpdateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := m.UpdateAccount(ctx, a); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale update: %v, want ErrConflict", err)
	}
	if err := m.UpdateAccount(ctx, Account{ID: "zz", Version: 1}); !errors.Is(err, ErrConflict) {
		t.Fatalf("missing account: %v, want ErrConflict", err)
	}
}

// TestAccounts_ConcurrentUse signs many agents in and out at once; run
// with -race it shows the services and memory stores share no state
// unguarded.
func TestAccounts_ConcurrentUse(t *testing.T) {
	ctx := context.Background()
	f := newAccountsFixture(t)
	s := newSessions(t, f)
	for i := range 4 {
		f.create(t, fmt.Sprintf("a%d", i), RoleAgent)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			id := fmt.Sprintf("a%d", i%4)
			tok, err := s.SignIn(ctx, id, goodPassword)
			if err == nil {
				_, err = s.Check(ctx, tok)
			}
			if err == nil {
				capacity := 1 + i%3
				_, err = f.accounts.Update(ctx, "boss", id, AccountUpdate{MaxConcurrent: &capacity})
			}
			if err == nil {
				err = s.SignOut(ctx, tok)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	f.clock.Advance(time.Hour)
	if n := len(f.store.SessionHashes()); n != 0 {
		t.Fatalf("%d sessions left after sign-out", n)
	}
}
