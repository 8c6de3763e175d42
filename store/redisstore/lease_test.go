package redisstore

import (
	"context"
	"testing"
	"time"
)

func TestLeaseExcludesAndTokensGrow(t *testing.T) {
	t.Parallel()
	rdb, keys := setup(t)
	ctx := context.Background()
	key := keys.Tagged("conv1", "lease")
	a, b := NewLease(rdb, key, time.Minute), NewLease(rdb, key, time.Minute)

	first := mustAcquire(t, a)
	if tok, ok, err := b.Acquire(ctx); err != nil || ok || tok != 0 {
		t.Fatalf("second holder got %d, %v, %v", tok, ok, err)
	}
	if a.Token() != first || b.Token() != 0 {
		t.Fatalf("tokens %d and %d", a.Token(), b.Token())
	}
	if err := a.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if a.Token() != 0 {
		t.Fatalf("token %d after release", a.Token())
	}
	if second := mustAcquire(t, b); second <= first {
		t.Fatalf("token %d after %d", second, first)
	}
}

func TestLeaseAcquireAgainKeepsToken(t *testing.T) {
	t.Parallel()
	rdb, keys := setup(t)
	l := NewLease(rdb, keys.Tagged("conv1", "lease"), time.Minute)
	first := mustAcquire(t, l)
	if again := mustAcquire(t, l); again != first {
		t.Fatalf("token %d, then %d", first, again)
	}
}

func TestLeaseExpiresAndRenewFails(t *testing.T) {
	t.Parallel()
	rdb, keys := setup(t)
	ctx := context.Background()
	key := keys.Tagged("conv1", "lease")
	ttl := 200 * time.Millisecond
	a, b := NewLease(rdb, key, ttl), NewLease(rdb, key, ttl)

	first := mustAcquire(t, a)
	if held, err := a.Renew(ctx); err != nil || !held {
		t.Fatalf("renew while held: %v, %v", held, err)
	}
	time.Sleep(ttl + 100*time.Millisecond)
	if second := mustAcquire(t, b); second <= first {
		t.Fatalf("token %d after %d", second, first)
	}
	if held, err := a.Renew(ctx); err != nil || held {
		t.Fatalf("renew after takeover: %v, %v", held, err)
	}
	if a.Token() != 0 {
		t.Fatalf("token %d after losing the lease", a.Token())
	}
}

func TestLeaseReleaseByOtherKeepsIt(t *testing.T) {
	t.Parallel()
	rdb, keys := setup(t)
	ctx := context.Background()
	key := keys.Tagged("conv1", "lease")
	ttl := 200 * time.Millisecond
	a, b := NewLease(rdb, key, ttl), NewLease(rdb, key, ttl)

	mustAcquire(t, a)
	if err := b.Release(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(ttl + 100*time.Millisecond)
	mustAcquire(t, b)
	// a lost the lease without knowing: its Release must not free b's hold.
	if err := a.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := rdb.Exists(ctx, key).Result(); err != nil || n != 1 {
		t.Fatalf("lease key exists: %d, %v", n, err)
	}
	if held, err := b.Renew(ctx); err != nil || !held {
		t.Fatalf("holder's renew: %v, %v", held, err)
	}
}

func TestLeaseClosedClient(t *testing.T) {
	t.Parallel()
	_, keys := setup(t)
	closed := newClient(t)
	_ = closed.Close()
	l := NewLease(closed, keys.Tagged("conv1", "lease"), time.Minute)
	if _, ok, err := l.Acquire(context.Background()); err == nil || ok {
		t.Fatalf("acquire on a closed client: %v, %v", ok, err)
	}
}

func mustAcquire(t *testing.T, l *Lease) int64 {
	t.Helper()
	token, ok, err := l.Acquire(context.Background())
	if err != nil || !ok || token <= 0 {
		t.Fatalf("acquire: %d, %v, %v", token, ok, err)
	}
	return token
}
