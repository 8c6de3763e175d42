package tickets

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// codeRateLimited is the error code of a request over its token's rate.
const codeRateLimited = "rate_limited"

// tokenLimits is a token bucket per API token: each caller may make rate
// requests a second and burst at once, whatever the others do.
type tokenLimits struct {
	rate  float64
	burst float64
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*apiBucket
}

// apiBucket is one token's allowance.
type apiBucket struct {
	tokens float64
	last   time.Time
}

// newTokenLimits returns the limits, or nil (no limit) for a rate of 0.
func newTokenLimits(rate float64, burst int, now func() time.Time) *tokenLimits {
	if rate <= 0 {
		return nil
	}
	return &tokenLimits{rate: rate, burst: float64(max(burst, 1)), now: now, buckets: map[string]*apiBucket{}}
}

// take spends one request of name's allowance; when none is left it
// returns false and how long until the next one.
func (l *tokenLimits) take(name string) (time.Duration, bool) {
	if l == nil {
		return 0, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[name]
	if !ok {
		b = &apiBucket{tokens: l.burst, last: now}
		l.buckets[name] = b // one per configured token: the map stays small
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return 0, true
	}
	return time.Duration((1 - b.tokens) / l.rate * float64(time.Second)), false
}

// rateLimited answers a request over its token's rate: 429, with the
// whole seconds to wait in Retry-After and the reason in the body.
func (a *api) rateLimited(w http.ResponseWriter, wait time.Duration) {
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	a.write(w, http.StatusTooManyRequests, errorBody{Error: codeRateLimited,
		Reason: "too many requests with this token; wait for the seconds in Retry-After"})
}
