package main

import (
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
		if len(forwarded) > 0 && c.warned.CompareAndSwap(false, true) {
			c.log.Warn("requests carry X-Forwarded-For from an address not in http.trusted_proxies; " +
				"the header is ignored, so every client behind that proxy shares one address's limits")
		}
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
// proxy. Without trusted proxies the request is passed on as it is.
func (c *clientAddrs) withClientAddr(next http.Handler) http.Handler {
	if len(c.trusted) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr, ok := c.of(r)
		peer, err := netip.ParseAddrPort(r.RemoteAddr)
		if ok && err == nil && addr != peer.Addr().Unmap() {
			r = r.WithContext(r.Context())
			r.RemoteAddr = netip.AddrPortFrom(addr, peer.Port()).String()
		}
		next.ServeHTTP(w, r)
	})
}
