package sms

import (
	"context"
	"errors"
	"sync"
	"time"
)

// bucket is a token bucket limiting sends to a provider: rate tokens a
// second, at most burst saved up. It is safe for concurrent use.
type bucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

func newBucket(rate float64, burst int, now func() time.Time) *bucket {
	b := float64(max(burst, 1))
	return &bucket{rate: rate, burst: b, tokens: b, last: now(), now: now}
}

// wait takes a token, sleeping until one is due or ctx ends.
func (b *bucket) wait(ctx context.Context) error {
	for {
		d := b.reserve()
		if d == 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// reserve takes a token if one is there and returns 0, or returns how
// long until the next one.
func (b *bucket) reserve() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

// SharedCounter counts sends of all gateway instances in fixed windows,
// so a provider's rate limit holds for the deployment, not per instance.
type SharedCounter interface {
	// Add counts one event under key and returns the count in the key's
	// window and how long the window has left.
	Add(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error)
}

// waitShared takes one send of the channel's rate shared by all
// instances, waiting for the next second when this one's is used up. It
// reports false when the counter cannot be reached, so the caller falls
// back to this instance's own limit.
func (c *Channel) waitShared(ctx context.Context) (bool, error) {
	for {
		n, left, err := c.cfg.Shared.Add(ctx, "sms-rate:"+c.cfg.Name, time.Second)
		if err != nil {
			return false, nil
		}
		if float64(n) <= c.cfg.Rate {
			return true, nil
		}
		t := time.NewTimer(max(left, time.Millisecond))
		select {
		case <-ctx.Done():
			t.Stop()
			return true, ctx.Err()
		case <-t.C:
		}
	}
}

// errNumberLimit marks a provider's refusal because of one number's
// frequency limit: worth retrying later, but no sign the provider is
// failing, so the breaker does not count it.
var errNumberLimit = errors.New("the number's sending limit was reached")

// errCircuitOpen is returned while the breaker keeps sends from a
// provider that keeps failing.
var errCircuitOpen = errors.New("provider failing; sends paused")

// breaker stops calling a provider after a run of retryable failures,
// for a cool-down, then lets one send through to test it: closed, open,
// then half-open. It is safe for concurrent use.
type breaker struct {
	mu        sync.Mutex
	threshold int
	cooldown  time.Duration
	now       func() time.Time
	failures  int
	openUntil time.Time
	probing   bool
}

func newBreaker(threshold int, cooldown time.Duration, now func() time.Time) *breaker {
	return &breaker{threshold: max(threshold, 1), cooldown: cooldown, now: now}
}

// allow reports whether a send may go to the provider now.
func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failures < b.threshold {
		return true
	}
	if b.now().Before(b.openUntil) || b.probing {
		return false
	}
	b.probing = true // half-open: one send tests the provider
	return true
}

// result records a send's outcome: ok, or a retryable failure (a
// permanent one says nothing about the provider's health).
func (b *breaker) result(ok, retryable bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probing = false
	switch {
	case ok:
		b.failures = 0
	case retryable:
		b.failures++
		if b.failures >= b.threshold {
			b.openUntil = b.now().Add(b.cooldown)
		}
	}
}
