package redisstore

import (
	"context"
	"testing"
	"time"
)

func TestCounterWindows(t *testing.T) {
	rdb := newClient(t)
	keys := testKeys(t, rdb)
	a, b := NewCounter(rdb, keys), NewCounter(newClient(t), keys)
	ctx := context.Background()
	if n, _, err := a.Get(ctx, "k"); err != nil || n != 0 {
		t.Fatalf("an unknown key: %d, %v", n, err)
	}
	for i := 1; i <= 3; i++ {
		c := a
		if i%2 == 0 {
			c = b // another instance counts in the same window
		}
		n, left, err := c.Add(ctx, "k", 300*time.Millisecond)
		if err != nil || n != int64(i) || left <= 0 || left > 300*time.Millisecond {
			t.Fatalf("add %d: %d, %v, %v", i, n, left, err)
		}
	}
	if n, left, _ := b.Get(ctx, "k"); n != 3 || left <= 0 {
		t.Fatalf("get: %d, %v", n, left)
	}
	time.Sleep(350 * time.Millisecond)
	if n, _, _ := a.Add(ctx, "k", 300*time.Millisecond); n != 1 {
		t.Fatalf("a new window starts at 1, got %d", n)
	}
}

func TestCounterErrors(t *testing.T) {
	rdb := newClient(t)
	c := NewCounter(rdb, testKeys(t, rdb))
	_ = rdb.Close()
	if _, _, err := c.Add(context.Background(), "k", time.Second); err == nil {
		t.Fatal("add on a closed client succeeded")
	}
	if _, _, err := c.Get(context.Background(), "k"); err == nil {
		t.Fatal("get on a closed client succeeded")
	}
}
