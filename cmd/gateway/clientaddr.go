package main

import (
	"crypto/tls"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
)

// clientAddrs tells the client's address of a request: the TCP peer's,
// or, when the peer is a trusted proxy, the nearest address in its
// X-Forwarded-For that is not a trusted proxy. A client can write any
// X-Forwarded-For it likes, but only the entries the trusted proxies
// appended are believed, because the header is read from the right.
type clientAddrs struct {
	trusted []netip.Prefix
	log     *slog.Logger
	warned  atomic.Bool // a forwarded header from an untrusted peer was reported
}

// of returns the request's client address; false when the peer's address
// cannot be read (a test's recorder, say).
func (c *clientAddrs) of(r *http.Request) (netip.Addr, bool) {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, false
	}
	addr := peer.Addr().Unmap()
	forwarded := r.Header.Values("X-Forwarded-For")
	if !c.isTrusted(addr) {
		c.untrusted(r)
		return addr, true
	}

	hops := strings.Split(strings.Join(forwarded, ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			break // a trusted proxy passed on something unreadable: stop at that proxy
		}
		addr = hop
		if !c.isTrusted(hop) {
			break
		}
	}
	return addr, true
}

// untrusted notes a request from an address that is not a trusted proxy:
// the first one carrying X-Forwarded-For is reported, once.
func (c *clientAddrs) untrusted(r *http.Request) {
	if c.warned.Load() || r.Header.Get("X-Forwarded-For") == "" {
		return
	}
	if c.warned.CompareAndSwap(false, true) {
		c.log.Warn("requests carry X-Forwarded-For from an address not in http.trusted_proxies; " +
			"the header is ignored, so every client behind that proxy shares one address's limits")
	}
}

func (c *clientAddrs) isTrusted(a netip.Addr) bool {
	for _, p := range c.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseHop reads one X-Forwarded-For entry: an address, with a port or
// IPv6 brackets as some proxies write it.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")); err == nil {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}

// withClientAddr hands next the request with RemoteAddr set to the
// client's address (and the peer's port), so the web chat's per-address
// socket cap and the console's sign-in throttle count clients, not the
// proxy. A request a trusted proxy received over HTTPS (its last
// X-Forwarded-Proto says https) is marked as TLS with an empty connection
// state, so the console's cookie is Secure and HSTS is sent. Without
// trusted proxies the request is passed on as it is, and the first one
// carrying X-Forwarded-For is reported.
func (c *clientAddrs) withClientAddr(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer, err := netip.ParseAddrPort(r.RemoteAddr)
		if err != nil || !c.isTrusted(peer.Addr().Unmap()) {
			c.untrusted(r)
			next.ServeHTTP(w, r)
			return
		}
		addr, _ := c.of(r)
		r = r.WithContext(r.Context())
		r.RemoteAddr = netip.AddrPortFrom(addr, peer.Port()).String()
		if r.TLS == nil && forwardedProto(r) == "https" {
			r.TLS = &tls.ConnectionState{}
		}
		next.ServeHTTP(w, r)
	})
}

// forwardedProto is the scheme the nearest proxy says it was reached by.
func forwardedProto(r *http.Request) string {
	vals := r.Header.Values("X-Forwarded-Proto")
	if len(vals) == 0 {
		return ""
	}
	parts := strings.Split(vals[len(vals)-1], ",")
	return strings.ToLower(strings.TrimSpace(parts[len(parts)-1]))
}
