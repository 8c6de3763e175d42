package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Counter counts events by key in fixed windows shared by every instance:
// rate limits that must hold for the whole deployment, not per instance
// (a provider's send rate, failed sign-ins from one address).
type Counter struct {
	rdb  redis.UniversalClient
	keys Keys
}

// NewCounter counts under keys.
func NewCounter(rdb redis.UniversalClient, keys Keys) *Counter {
	return &Counter{rdb: rdb, keys: keys}
}

// addScript counts one event: the window starts with its first event.
var addScript = redis.NewScript(`
local n = redis.call("INCR", KEYS[1])
if n == 1 then redis.call("PEXPIRE", KEYS[1], ARGV[1]) end
local left = redis.call("PTTL", KEYS[1])
if left < 0 then redis.call("PEXPIRE", KEYS[1], ARGV[1]); left = tonumber(ARGV[1]) end
return {n, left}`)

// Add counts an event and returns the count in the key's window and how
// long the window has left.
func (c *Counter) Add(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	v, err := addScript.Run(ctx, c.rdb, []string{c.keys.Key("count", key)}, window.Milliseconds()).Int64Slice()
	if err != nil || len(v) != 2 {
		return 0, 0, fmt.Errorf("count: %w (%v)", ErrUnavailable, err)
	}
	return v[0], time.Duration(v[1]) * time.Millisecond, nil
}

// Get returns the count in the key's window and how long it has left.
func (c *Counter) Get(ctx context.Context, key string) (int64, time.Duration, error) {
	k := c.keys.Key("count", key)
	pipe := c.rdb.Pipeline()
	n := pipe.Get(ctx, k)
	ttl := pipe.PTTL(ctx, k)
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return 0, 0, fmt.Errorf("count: %w (%w)", ErrUnavailable, err)
	}
	count, _ := n.Int64()
	return count, max(ttl.Val(), 0), nil
}
