package main

import (
	"bufio"
	"errors"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// addrLimits holds each client address to a request rate and to a number
// of refused requests (a wrong credential or signature) a minute, so one
// address can neither flood the gateway nor guess its secrets quickly.
// Websocket frames are limited per socket elsewhere; a socket counts here
// once, when it opens.
type addrLimits struct {
	rate     float64 // requests a second; 0: no rate limit
	burst    float64
	refusals int // refused requests a minute before the address is blocked; 0: none
	now      func() time.Time

	mu        sync.Mutex
	byAddr    map[netip.Addr]*addrState
	lastPrune time.Time
}

// addrState is one address's allowance and refusals.
type addrState struct {
	tokens       float64
	last         time.Time // last request
	strikes      int       // refusals since strikesFrom
	strikesFrom  time.Time
	blockedUntil time.Time
}

const (
	refusalWindow = time.Minute // refusals are counted over this long, and block for this long
	addrIdle      = 2 * time.Minute
	// maxAddrs bounds the addresses tracked at once; past it a new address
	// is let through untracked rather than growing the map without end.
	maxAddrs = 200_000
)

func newAddrLimits(rate float64, burst, refusals int, now func() time.Time) *addrLimits {
	if rate <= 0 && refusals <= 0 {
		return nil
	}
	return &addrLimits{rate: rate, burst: float64(max(burst, 1)), refusals: refusals, now: now,
		byAddr: map[netip.Addr]*addrState{}, lastPrune: now()}
}

// admit takes one request of the address's allowance; when the address
// is over its rate or blocked for its refusals it returns false, how long
// to wait, and why.
func (l *addrLimits) admit(a netip.Addr) (time.Duration, string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.prune(now)
	s := l.state(a, now)
	if s == nil {
		return 0, "", true
	}
	if now.Before(s.blockedUntil) {
		s.last = now
		return s.blockedUntil.Sub(now), "refused", false
	}
	if l.rate <= 0 {
		s.last = now
		return 0, "", true
	}
	s.tokens = min(l.burst, s.tokens+now.Sub(s.last).Seconds()*l.rate)
	s.last = now
	if s.tokens >= 1 {
		s.tokens--
		return 0, "", true
	}
	return time.Duration((1 - s.tokens) / l.rate * float64(time.Second)), "rate", false
}

// refused counts a refused request of the address; enough of them in a
// minute block it for a minute.
func (l *addrLimits) refused(a netip.Addr) {
	if l.refusals <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	s := l.state(a, now)
	if s == nil {
		return
	}
	if now.Sub(s.strikesFrom) >= refusalWindow {
		s.strikes, s.strikesFrom = 0, now
	}
	s.strikes++
	if s.strikes >= l.refusals {
		s.blockedUntil = now.Add(refusalWindow)
		s.strikes, s.strikesFrom = 0, now
	}
}

// state returns the address's state, made on first use; nil when the
// table is full.
func (l *addrLimits) state(a netip.Addr, now time.Time) *addrState {
	s, ok := l.byAddr[a]
	if ok {
		return s
	}
	if len(l.byAddr) >= maxAddrs {
		return nil
	}
	s = &addrState{tokens: l.burst, last: now, strikesFrom: now}
	l.byAddr[a] = s
	return s
}

// prune forgets, at most once a minute, the addresses idle for a while
// and not blocked: their allowance is full again anyway.
func (l *addrLimits) prune(now time.Time) {
	if now.Sub(l.lastPrune) < time.Minute {
		return
	}
	l.lastPrune = now
	for a, s := range l.byAddr {
		if now.Sub(s.last) > addrIdle && !now.Before(s.blockedUntil) {
			delete(l.byAddr, a)
		}
	}
}

// limitByAddr applies the limits to every request but the probes and the
// metrics scrape. The console's pages and API are not counted for
// refusals: an expired session answers 401 to every tab of an office that
// shares one address, and its sign-in has a throttle of its own.
func (l *addrLimits) limitByAddr(addrs *clientAddrs, next http.Handler) http.Handler {
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if exemptFromAddrLimits(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		addr, ok := addrs.of(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if wait, why, ok := l.admit(addr); !ok {
			tooManyFromAddr(w, r, wait, why)
			return
		}
		if l.refusals <= 0 || strings.HasPrefix(r.URL.Path, "/agent/") {
			next.ServeHTTP(w, r)
			return
		}
		sw := &refusalWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == http.StatusUnauthorized || sw.status == http.StatusForbidden {
			l.refused(addr)
		}
	})
}

func exemptFromAddrLimits(path string) bool {
	return path == "/healthz" || path == "/readyz" || path == "/metrics"
}

// tooManyFromAddr answers 429 with Retry-After in whole seconds: JSON
// under the APIs and the callbacks, text for a person elsewhere.
func tooManyFromAddr(w http.ResponseWriter, r *http.Request, wait time.Duration, why string) {
	baseHeaders(w.Header())
	secs := max(int(math.Ceil(wait.Seconds())), 1)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	reason := "too many requests from this address; wait for the seconds in Retry-After"
	if why == "refused" {
		reason = "too many refused requests (wrong credential or signature) from this address; wait for the seconds in Retry-After"
	}
	if strings.HasPrefix(r.URL.Path, "/chat/") || strings.HasPrefix(r.URL.Path, "/agent/") ||
		strings.HasPrefix(r.URL.Path, "/dashboard/") || r.URL.Path == "/" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte("请求过于频繁，请 " + strconv.Itoa(secs) + " 秒后再试。\n" +
			"Too many requests from this address; please try again in " + strconv.Itoa(secs) + " s.\n"))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write([]byte(`{"error":"rate_limited","reason":"` + reason + `"}` + "\n"))
}

// refusalWriter notes the status a handler answered with. It passes a
// websocket's takeover and flushes through.
type refusalWriter struct {
	http.ResponseWriter
	status int
}

func (w *refusalWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *refusalWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Hijack hands the connection over, for websockets.
func (w *refusalWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("the connection cannot be taken over")
	}
	return h.Hijack()
}

// Flush sends what is buffered, for streamed answers.
func (w *refusalWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the writer underneath.
func (w *refusalWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
