package redisstore

import (
	"context"
	"testing"
	"time"
)

func TestOnce(t *testing.T) {
	t.Parallel()
	rdb, keys := setup(t)
	ttl := 150 * time.Millisecond
	once := NewOnce(rdb, keys, ttl)

	expectFirst(t, once, "wechat", "msg-1", true)
	expectFirst(t, once, "wechat", "msg-1", false)
	expectFirst(t, once, "sms", "msg-1", true)
	expectFirst(t, once, "wechat", "msg-2", true)
	time.Sleep(ttl + 100*time.Millisecond)
	expectFirst(t, once, "wechat", "msg-1", true)
}

func TestOnceKeyShape(t *testing.T) {
	t.Parallel()
	rdb, keys := setup(t)
	expectFirst(t, NewOnce(rdb, keys, time.Minute), "wechat", "msg-1", true)
	key := keys.Tagged("wechat", "once", "msg-1")
	if ttl, err := rdb.PTTL(context.Background(), key).Result(); err != nil || ttl <= 0 || ttl > time.Minute {
		t.Fatalf("key %s has ttl %v, %v", key, ttl, err)
	}
}

func TestOnceErrorIsNotDuplicate(t *testing.T) {
	t.Parallel()
	_, keys := setup(t)
	closed := newClient(t)
	_ = closed.Close()
	first, err := NewOnce(closed, keys, time.Minute).First(context.Background(), "wechat", "msg-1")
	if err == nil || first {
		t.Fatalf("closed client: %v, %v", first, err)
	}
}

func expectFirst(t *testing.T, once *Once, scope, id string, want bool) {
	t.Helper()
	got, err := once.First(context.Background(), scope, id)
	if err != nil || got != want {
		t.Fatalf("First(%s, %s) = %v, %v; want %v", scope, id, got, err, want)
	}
}
