package redisstore

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// acquireScript takes the lease in KEYS[1] when nobody holds it. The fencing
// token comes from the counter in KEYS[2], which never expires, so tokens
// keep growing from one holder to the next. It returns the token, or 0 when
// the lease is held.
var acquireScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
	return 0
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. token, 'PX', ARGV[2])
return token
`)

// renewScript extends the lease in KEYS[1] when it still holds ARGV[1].
var renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`)

// releaseScript deletes the lease in KEYS[1] when it still holds ARGV[1].
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0
`)

// Lease is a lock in Redis that expires unless renewed, handing out a
// fencing token with every acquisition. Tokens grow strictly from one holder
// to the next, so a store that remembers the largest token it has seen can
// refuse writes from a holder whose lease ran out without it noticing.
//
// A Lease may be used from several goroutines.
type Lease struct {
	rdb    redis.UniversalClient
	key    string
	fence  string
	ttl    time.Duration
	holder string

	mu    sync.Mutex
	token int64
}

// NewLease returns a Lease on key that lasts ttl after each acquisition or
// renewal. Every Lease has its own holder identity, so two Leases on one key
// exclude each other even within one process.
//
// The fencing counter is stored next to key, in the same Redis Cluster slot
// when key has a hash tag (see Keys.Tagged); an untagged key is given one
// around its whole name, which is not possible on Cluster when the name
// holds a "}". NewLease panics if ttl is under a millisecond.
func NewLease(rdb redis.UniversalClient, key string, ttl time.Duration) *Lease {
	if ttl < time.Millisecond {
		panic("redisstore: lease ttl must be at least a millisecond")
	}
	return &Lease{
		rdb:    rdb,
		key:    key,
		fence:  companionKey(key, "fence"),
		ttl:    ttl,
		holder: randomID(),
	}
}

// Acquire takes the lease if nobody holds it and returns its fencing token.
// ok is false when another holder has it. If this Lease holds it already,
// Acquire renews it and returns the current token.
func (l *Lease) Acquire(ctx context.Context) (token int64, ok bool, err error) {
	if current := l.Token(); current != 0 {
		held, err := l.Renew(ctx)
		if err != nil {
			return 0, false, err
		}
		if held {
			return current, true, nil
		}
	}
	token, err = acquireScript.Run(ctx, l.rdb, []string{l.key, l.fence}, l.holder, l.millis()).Int64()
	if err != nil {
		return 0, false, fmt.Errorf("redisstore: acquiring lease %s: %w", l.key, err)
	}
	if token == 0 {
		return 0, false, nil
	}
	l.setToken(token)
	return token, true, nil
}

// Renew extends the lease by its ttl if this Lease still holds it. It
// reports false, and Token becomes 0, when the lease was lost.
func (l *Lease) Renew(ctx context.Context) (bool, error) {
	token := l.Token()
	if token == 0 {
		return false, nil
	}
	n, err := renewScript.Run(ctx, l.rdb, []string{l.key}, l.value(token), l.millis()).Int64()
	if err != nil {
		return false, fmt.Errorf("redisstore: renewing lease %s: %w", l.key, err)
	}
	if n == 0 {
		l.clearToken(token)
		return false, nil
	}
	return true, nil
}

// Release gives the lease up if this Lease holds it; a lease held by
// someone else is left alone. Token is 0 afterwards, even on error, since
// the lease then runs out by itself.
func (l *Lease) Release(ctx context.Context) error {
	token := l.Token()
	if token == 0 {
		return nil
	}
	defer l.clearToken(token)
	err := releaseScript.Run(ctx, l.rdb, []string{l.key}, l.value(token)).Err()
	if err != nil {
		return fmt.Errorf("redisstore: releasing lease %s: %w", l.key, err)
	}
	return nil
}

// Token returns the fencing token of the current hold, or 0 when this Lease
// does not hold the lease as far as it knows.
func (l *Lease) Token() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.token
}

func (l *Lease) setToken(token int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.token = token
}

// clearToken forgets token unless a newer hold replaced it meanwhile.
func (l *Lease) clearToken(token int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.token == token {
		l.token = 0
	}
}

// value is what the lease key holds while this Lease has token.
func (l *Lease) value(token int64) string {
	return l.holder + ":" + strconv.FormatInt(token, 10)
}

func (l *Lease) millis() int64 {
	return max(l.ttl.Milliseconds(), 1)
}

// randomID returns a random identity of 128 bits, in letters and digits.
func randomID() string {
	return rand.Text()
}
