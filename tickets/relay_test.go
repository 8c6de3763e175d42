package tickets_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hotline/store/sqldb"
	"hotline/tickets"
)

// relayTestStore opens the real ticket store in a fresh directory.
func relayTestStore(t *testing.T) tickets.Store {
	t.Helper()
	db, err := sqldb.Open(context.Background(), sqldb.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return sqldb.NewTickets(db)
}

// relayTestService keeps events for the CRM in store.
func relayTestService(store tickets.Store) *tickets.Service {
	return tickets.NewService(tickets.Config{Store: store, Policy: tickets.DefaultPolicy(), CRM: true})
}

// openTestTicket opens a ticket from another system, so that its events go
// to the CRM only; it carries personal data that must not reach the logs.
func openTestTicket(t *testing.T, svc *tickets.Service) string {
	t.Helper()
	tk, _, err := svc.Open(context.Background(), tickets.Draft{
		Kind: tickets.KindRequest, Category: "billing", Source: "api", Actor: "api",
		Phone: "13800138000", Details: map[string]string{"address": "Room 5, No. 8 Road"},
		Summary: "wrong charge",
	})
	if err != nil {
		t.Fatal(err)
	}
	return tk.ID
}

// progressTestTicket takes a ticket to in progress and then resolved: two
// more events.
func progressTestTicket(t *testing.T, svc *tickets.Service, id string) {
	t.Helper()
	ctx := context.Background()
	working, resolved, note := tickets.StatusInProgress, tickets.StatusResolved, "refunded"
	if _, err := svc.Apply(ctx, id, tickets.Update{Status: &working}, "agent", nil); err != nil {
		t.Fatal(err)
	}
	u := tickets.Update{Status: &resolved, Resolution: &note}
	if _, err := svc.Apply(ctx, id, u, "agent", nil); err != nil {
		t.Fatal(err)
	}
}

// pendingSeqs lists what the consumer has not handled yet.
func pendingSeqs(t *testing.T, store tickets.Store, consumer string) []int64 {
	t.Helper()
	events, err := store.PendingEvents(context.Background(), consumer, 1000)
	if err != nil {
		t.Fatal(err)
	}
	seqs := make([]int64, len(events))
	for i, e := range events {
		seqs[i] = e.Seq
	}
	return seqs
}

// waitFor polls cond until it holds, failing the test after 15 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// startRelay runs a relay; the returned stop cancels it and waits until
// Run has returned.
func startRelay(t *testing.T, c tickets.RelayConfig) (*tickets.Relay, func()) {
	t.Helper()
	r, err := tickets.NewRelay(c)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		r.Run(ctx)
		close(done)
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Error("Run did not return after its context ended")
			}
		})
	}
	t.Cleanup(stop)
	return r, stop
}

// recorder is a handler that logs every attempt and can be told to fail.
type recorder struct {
	mu       sync.Mutex
	attempts []int64
	handled  []int64
	fail     func(e tickets.Event, attempt int) error
}

func (r *recorder) handle(_ context.Context, e tickets.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts = append(r.attempts, e.Seq)
	if r.fail != nil {
		n := 0
		for _, s := range r.attempts {
			if s == e.Seq {
				n++
			}
		}
		if err := r.fail(e, n); err != nil {
			return err
		}
	}
	r.handled = append(r.handled, e.Seq)
	return nil
}

func (r *recorder) snapshot() (attempts, handled []int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.attempts), slices.Clone(r.handled)
}

func (r *recorder) handledCount() int {
	_, h := r.snapshot()
	return len(h)
}

// fastRelay is a relay config with waits short enough for tests.
func fastRelay(store tickets.Store, h tickets.EventHandler) tickets.RelayConfig {
	return tickets.RelayConfig{Store: store, Consumer: tickets.ConsumerCRM, Handler: h,
		Batch: 2, Poll: 20 * time.Millisecond,
		MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}
}

// interleavedEvents opens three tickets and changes them out of order, so
// their events interleave; it returns the pending seqs.
func interleavedEvents(t *testing.T, store tickets.Store) []int64 {
	t.Helper()
	svc := relayTestService(store)
	ids := []string{openTestTicket(t, svc), openTestTicket(t, svc), openTestTicket(t, svc)}
	for _, i := range []int{2, 0, 1} {
		progressTestTicket(t, svc, ids[i])
	}
	want := pendingSeqs(t, store, tickets.ConsumerCRM)
	if len(want) != 9 {
		t.Fatalf("%d pending events, want 9", len(want))
	}
	return want
}

func TestRelay_HandsOverInSeqOrder(t *testing.T) {
	store := relayTestStore(t)
	want := interleavedEvents(t, store)
	rec := &recorder{}

	startRelay(t, fastRelay(store, rec.handle))

	waitFor(t, "every event", func() bool { return rec.handledCount() == len(want) })
	if _, handled := rec.snapshot(); !slices.Equal(handled, want) {
		t.Fatalf("handled %v, want %v", handled, want)
	}
	waitFor(t, "events marked handled", func() bool {
		return len(pendingSeqs(t, store, tickets.ConsumerCRM)) == 0
	})
}

func TestRelay_RetriesTheSameEventUntilItSucceeds(t *testing.T) {
	store := relayTestStore(t)
	want := interleavedEvents(t, store)
	rec := &recorder{fail: func(e tickets.Event, attempt int) error {
		if e.Seq == want[1] && attempt <= 3 {
			return errors.New("consumer down")
		}
		return nil
	}}

	startRelay(t, fastRelay(store, rec.handle))

	waitFor(t, "every event", func() bool { return rec.handledCount() == len(want) })
	attempts, handled := rec.snapshot()
	if !slices.Equal(handled, want) {
		t.Fatalf("handled %v, want %v", handled, want)
	}
	wantAttempts := append([]int64{want[0], want[1], want[1], want[1]}, want[1:]...)
	if !slices.Equal(attempts, wantAttempts) {
		t.Fatalf("attempts %v, want %v: a later event went first", attempts, wantAttempts)
	}
}

func TestRelay_KeepsAPermanentlyRejectedEvent(t *testing.T) {
	store := relayTestStore(t)
	want := interleavedEvents(t, store)
	rec := &recorder{fail: func(e tickets.Event, attempt int) error {
		if e.Seq == want[0] && attempt <= 2 {
			return tickets.Permanent(errors.New("rejected: status 422"))
		}
		return nil
	}}
	var logs syncBuffer
	c := fastRelay(store, rec.handle)
	c.Log = slog.New(slog.NewJSONHandler(&logs, nil))

	startRelay(t, c)

	waitFor(t, "every event", func() bool { return rec.handledCount() == len(want) })
	if attempts, _ := rec.snapshot(); attempts[0] != want[0] || attempts[2] != want[0] {
		t.Fatalf("attempts %v: the rejected event was not retried first", attempts)
	}
	out := logs.String()
	if !bytes.Contains([]byte(out), []byte(`"level":"ERROR"`)) ||
		!bytes.Contains([]byte(out), []byte(`"type":"ticket.created"`)) {
		t.Fatalf("no error log naming the event: %s", out)
	}
}

// countingStore is the real store, counting reads of pending events.
type countingStore struct {
	tickets.Store
	reads atomic.Int32
}

func (s *countingStore) PendingEvents(ctx context.Context, consumer string,
	limit int) ([]tickets.Event, error) {
	events, err := s.Store.PendingEvents(ctx, consumer, limit)
	s.reads.Add(1)
	return events, err
}

func TestRelay_KickWakesIt(t *testing.T) {
	store := &countingStore{Store: relayTestStore(t)}
	svc := relayTestService(store)
	openTestTicket(t, svc)
	rec := &recorder{}
	c := fastRelay(store, rec.handle)
	c.Poll = time.Hour

	relay, _ := startRelay(t, c)
	waitFor(t, "the first event", func() bool { return rec.handledCount() == 1 })
	// After handling, the relay reads once more, finds nothing and sleeps
	// for the poll interval; only the kick can wake it now.
	waitFor(t, "the relay to go idle", func() bool { return store.reads.Load() >= 2 })
	openTestTicket(t, svc)
	relay.Kick()

	waitFor(t, "the kicked event", func() bool { return rec.handledCount() == 2 })
}

func TestRelay_RunReturnsWhenCancelled(t *testing.T) {
	cases := map[string]func(e tickets.Event, attempt int) error{
		"while idle":        nil,
		"while backing off": func(tickets.Event, int) error { return errors.New("down") },
	}
	for name, fail := range cases {
		t.Run(name, func(t *testing.T) {
			store := relayTestStore(t)
			openTestTicket(t, relayTestService(store))
			rec := &recorder{fail: fail}
			c := fastRelay(store, rec.handle)
			c.Poll, c.MinBackoff, c.MaxBackoff = time.Hour, time.Hour, time.Hour

			_, stop := startRelay(t, c)
			waitFor(t, "a first attempt", func() bool { a, _ := rec.snapshot(); return len(a) > 0 })
			stop()
		})
	}
}

func TestNewRelay_RefusesIncompleteConfig(t *testing.T) {
	store := relayTestStore(t)
	h := (&recorder{}).handle
	cases := map[string]tickets.RelayConfig{
		"no store":    {Consumer: tickets.ConsumerCRM, Handler: h},
		"no consumer": {Store: store, Handler: h},
		"no handler":  {Store: store, Consumer: tickets.ConsumerCRM},
		"min over max": {Store: store, Consumer: tickets.ConsumerCRM, Handler: h,
			MinBackoff: time.Minute, MaxBackoff: time.Second},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := tickets.NewRelay(c); err == nil {
				t.Fatal("NewRelay accepted it")
			}
		})
	}
}

// syncBuffer is a buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
