package redisstore

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestFanoutReachesEveryListener(t *testing.T) {
	rdb := newClient(t)
	ch := testKeys(t, rdb).Key("fanout")
	a, b := NewFanout(rdb, ch, nil), NewFanout(newClient(t), ch, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var mu sync.Mutex
	got := map[string][]string{}
	listen := func(name string, f *Fanout) {
		go f.Listen(ctx, func(p []byte) {
			mu.Lock()
			got[name] = append(got[name], string(p))
			mu.Unlock()
		})
	}
	listen("a", a)
	listen("b", b)
	count := func(name string) int { mu.Lock(); defer mu.Unlock(); return len(got[name]) }

	// Subscriptions take a moment; publish until both hear, then once more.
	deadline := time.Now().Add(5 * time.Second)
	for count("a") == 0 || count("b") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the listeners never heard a payload")
		}
		if err := a.Publish(ctx, []byte("warm")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	na, nb := count("a"), count("b")
	if err := b.Publish(ctx, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(2 * time.Second)
	for count("a") == na || count("b") == nb {
		if time.Now().After(deadline) {
			t.Fatal("a payload did not reach both listeners")
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if got["a"][len(got["a"])-1] != "hello" || got["b"][len(got["b"])-1] != "hello" {
		t.Fatalf("got %v", got)
	}
}

func TestFanoutPublishOnAClosedClient(t *testing.T) {
	rdb := newClient(t)
	f := NewFanout(rdb, "x", nil)
	_ = rdb.Close()
	if err := f.Publish(context.Background(), []byte("p")); err == nil {
		t.Fatal("publish on a closed client succeeded")
	}
}
