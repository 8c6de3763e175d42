package redisstore

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const (
	testAddr       = "127.0.0.1:6379"
	testURL        = "redis://" + testAddr + "/0"
	redisNeededMsg = "Redis is needed: start redis-server on 127.0.0.1:6379"
)

// newClient connects to the test Redis, skipping the test when it is not
// running unless HOTLINE_REQUIRE_SERVICES=1 asks for a failure. The client
// is closed when the test ends.
func newClient(t testing.TB) redis.UniversalClient {
	t.Helper()
	if !redisListens() {
		skipOrFail(t, errors.New("nothing listens on "+testAddr))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	rdb, err := Open(ctx, testURL)
	if err != nil {
		skipOrFail(t, err)
	}
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func skipOrFail(t testing.TB, cause error) {
	t.Helper()
	if os.Getenv("HOTLINE_REQUIRE_SERVICES") == "1" {
		t.Fatalf("%s (%v)", redisNeededMsg, cause)
	}
	t.Skip(redisNeededMsg)
}

// redisListens reports, checking once per test binary, whether something
// accepts connections on the test Redis address.
var redisListens = sync.OnceValue(func() bool {
	conn, err := net.DialTimeout("tcp", testAddr, time.Second)
	if err != nil {
		return false
	}
	_ = conn.Close()
	return true
})

// testKeys returns Keys under a prefix of its own, whose keys are deleted
// when the test ends.
func testKeys(t testing.TB, rdb redis.UniversalClient) Keys {
	t.Helper()
	keys := Keys{Prefix: "hotline-test-" + randomID()}
	t.Cleanup(func() { deleteUnder(t, rdb, keys.Prefix) })
	return keys
}

func deleteUnder(t testing.TB, rdb redis.UniversalClient, prefix string) {
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var batch []string
	flush := func() {
		if len(batch) > 0 {
			rdb.Unlink(ctx, batch...)
			batch = batch[:0]
		}
	}
	for iter.Next(ctx) {
		if batch = append(batch, iter.Val()); len(batch) == 500 {
			flush()
		}
	}
	flush()
	if err := iter.Err(); err != nil {
		t.Logf("cleaning up %s: %v", prefix, err)
	}
}

// setup returns a client and isolated Keys for one test.
func setup(t testing.TB) (redis.UniversalClient, Keys) {
	t.Helper()
	rdb := newClient(t)
	return rdb, testKeys(t, rdb)
}

// eventually waits up to within for cond, checking every few milliseconds.
func eventually(within time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return cond()
}
