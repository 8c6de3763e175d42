package wechat

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// requireRedis returns a client of the test Redis (HOTLINE_TEST_REDIS, or
// 127.0.0.1:6379), or skips saying what to start; with
// HOTLINE_REQUIRE_SERVICES=1 (as in CI) it fails instead.
func requireRedis(t *testing.T) *redis.Client {
	t.Helper()
	addr := os.Getenv("HOTLINE_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		msg := "Redis is needed for this test: start redis-server on " + addr + " (or set HOTLINE_TEST_REDIS)"
		if os.Getenv("HOTLINE_REQUIRE_SERVICES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// Two gateway instances sharing Redis fetch the access token once between
// them, however many sends ask for it at once; a refused token is
// evicted for both.
func TestSharedToken_OneFetchAcrossInstances(t *testing.T) {
	rdb := requireRedis(t)
	appID := fmt.Sprintf("wxshared%d", time.Now().UnixNano())
	tune := func(c *Config) { c.Redis, c.AppID = rdb, appID }
	a := newRig(t, nil, tune)
	b := newRig(t, nil, tune) // resets the fake API too; nothing fetched yet
	t.Cleanup(func() {
		for _, k := range a.ch.tokenKeys() {
			_ = rdb.Del(context.Background(), "hotline:"+k).Err()
		}
	})

	var wg sync.WaitGroup
	tokens := make([]string, 20)
	for i := range tokens {
		ch := a.ch
		if i%2 == 1 {
			ch = b.ch
		}
		wg.Go(func() {
			tok, err := ch.oa.GetAccessTokenContext(t.Context())
			if err != nil {
				t.Error(err)
			}
			tokens[i] = tok
		})
	}
	wg.Wait()
	if fakeAPI.tokens != 1 {
		t.Fatalf("tokens fetched: %d, want 1 for both instances", fakeAPI.tokens)
	}
	for _, tok := range tokens {
		if tok != "tok-1-of-the-fake" {
			t.Fatalf("tokens handed out %q, want tok-1-of-the-fake everywhere", tokens)
		}
	}

	a.ch.evictToken()
	tok, err := b.ch.oa.GetAccessTokenContext(t.Context())
	if err != nil || tok != "tok-2-of-the-fake" || fakeAPI.tokens != 2 {
		t.Fatalf("after eviction by the other instance: %q (%v), %d fetches", tok, err, fakeAPI.tokens)
	}
}
