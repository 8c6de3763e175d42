package redisstore

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// ListenWith calls its hook when the subscription is made and again when
// it is made anew after Redis dropped it; payloads published after that
// reach the handler.
func TestFanoutListenWithCallsTheHookAgainAfterABreak(t *testing.T) {
	admin := newClient(t)
	name := "hotline-test-fanout-" + randomID()
	rdb := redis.NewClient(&redis.Options{Addr: testAddr, ClientName: name})
	t.Cleanup(func() { _ = rdb.Close() })
	ch := testKeys(t, admin).Key("fanout")
	f := NewFanout(rdb, ch, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var mu sync.Mutex
	made, heard := 0, 0
	go f.ListenWith(ctx, func([]byte) {
		mu.Lock()
		heard++
		mu.Unlock()
	}, func() {
		mu.Lock()
		made++
		mu.Unlock()
	})
	count := func() (int, int) { mu.Lock(); defer mu.Unlock(); return made, heard }

	if !eventually(5*time.Second, func() bool { m, _ := count(); return m == 1 }) {
		t.Fatal("the hook was not called when the subscription was made")
	}
	killPubSub(t, admin, name)
	if !eventually(10*time.Second, func() bool { m, _ := count(); return m == 2 }) {
		m, _ := count()
		t.Fatalf("the hook was called %d times after the subscription broke, want 2", m)
	}
	if err := NewFanout(admin, ch, nil).Publish(ctx, []byte("after")); err != nil {
		t.Fatal(err)
	}
	if !eventually(5*time.Second, func() bool { _, h := count(); return h == 1 }) {
		t.Fatal("a payload published after the new subscription did not arrive")
	}
}

// killPubSub makes Redis drop the pub/sub connection of the named client.
func killPubSub(t *testing.T, admin redis.UniversalClient, name string) {
	t.Helper()
	ctx := context.Background()
	list, err := admin.Do(ctx, "CLIENT", "LIST", "TYPE", "pubsub").Text()
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(list, "\n") {
		fields := strings.Fields(line)
		if !slices.Contains(fields, "name="+name) {
			continue
		}
		for _, field := range fields {
			if id, ok := strings.CutPrefix(field, "id="); ok {
				if err := admin.Do(ctx, "CLIENT", "KILL", "ID", id).Err(); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
	}
	t.Fatalf("no pub/sub connection named %s in\n%s", name, list)
}
