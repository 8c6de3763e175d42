package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Once tells whether an id is seen for the first time within a scope, for
// example to handle a webhook delivery only once when several instances
// receive retries of it. Ids are remembered for a limited time.
type Once struct {
	rdb  redis.UniversalClient
	keys Keys
	ttl  time.Duration
}

// NewOnce returns a Once that keeps its keys under keys and remembers each
// id for ttl. NewOnce panics if ttl is under a millisecond.
func NewOnce(rdb redis.UniversalClient, keys Keys, ttl time.Duration) *Once {
	if ttl < time.Millisecond {
		panic("redisstore: once ttl must be at least a millisecond")
	}
	return &Once{rdb: rdb, keys: keys, ttl: ttl}
}

// First reports whether id is claimed for the first time in scope within
// the ttl. The claim is one SET NX on the key Tagged(scope, "once", id). A
// Redis error is returned as such, never as false: the caller decides
// whether to go ahead without the check.
func (o *Once) First(ctx context.Context, scope, id string) (bool, error) {
	key := o.keys.Tagged(scope, "once", id)
	err := o.rdb.SetArgs(ctx, key, "1", redis.SetArgs{Mode: "NX", TTL: o.ttl}).Err()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("redisstore: claiming %s: %w", key, err)
	}
	return true, nil
}
