package main

import (
	"log/slog"
	"net/http"
	"net/netip"
	"testing"
	"time"
)

// The client's address is the peer's, or, behind trusted proxies, the
// rightmost forwarded entry that is not a trusted proxy.
func TestClientAddrs(t *testing.T) {
	c := &clientAddrs{log: slog.New(slog.DiscardHandler), trusted: []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("fd00::/8")}}
	cases := []struct {
		name, peer string
		forwarded  []string
		want       string
	}{
		{"direct", "198.51.100.1:4000", nil, "198.51.100.1"},
		{"untrusted peer's header ignored", "198.51.100.1:4000", []string{"203.0.113.5"}, "198.51.100.1"},
		{"one proxy", "10.1.2.3:4000", []string{"203.0.113.5"}, "203.0.113.5"},
		{"two proxies", "10.1.2.3:4000", []string{"203.0.113.5, 10.9.9.9"}, "203.0.113.5"},
		{"spoofed entry before the real one", "10.1.2.3:4000", []string{"1.2.3.4, 203.0.113.5"}, "203.0.113.5"},
		{"several header lines", "10.1.2.3:4000", []string{"1.2.3.4", "203.0.113.5"}, "203.0.113.5"},
		{"with a port", "10.1.2.3:4000", []string{"203.0.113.5:5555"}, "203.0.113.5"},
		{"IPv6 in brackets", "[fd00::1]:4000", []string{"[2001:db8::7]"}, "2001:db8::7"},
		{"IPv4 in IPv6", "[::ffff:10.1.2.3]:4000", []string{"::ffff:203.0.113.5"}, "203.0.113.5"},
		{"garbage stops at the proxy", "10.1.2.3:4000", []string{"203.0.113.5, not-an-address"}, "10.1.2.3"},
		{"all trusted", "127.0.0.1:4000", []string{"10.0.0.1"}, "10.0.0.1"},
		{"empty header", "10.1.2.3:4000", []string{""}, "10.1.2.3"},
	}
	for _, tc := range cases {
		r, _ := http.NewRequest("GET", "http://x/", nil)
		r.RemoteAddr = tc.peer
		for _, f := range tc.forwarded {
			r.Header.Add("X-Forwarded-For", f)
		}
		got, ok := c.of(r)
		if !ok || got.String() != tc.want {
			t.Errorf("%s: %v (%v), want %s", tc.name, got, ok, tc.want)
		}
	}
}

// The allowance refills with time; refusals block for a minute and then
// count afresh; idle addresses are forgotten; a full table lets new
// addresses through untracked.
func TestAddrLimits(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	l := newAddrLimits(2, 3, 3, func() time.Time { return now })
	a, b := netip.MustParseAddr("203.0.113.1"), netip.MustParseAddr("203.0.113.2")
	for i := range 3 {
		if _, _, ok := l.admit(a); !ok {
			t.Fatalf("request %d within the burst refused", i+1)
		}
	}
	if wait, why, ok := l.admit(a); ok || why != "rate" || wait != 500*time.Millisecond {
		t.Fatalf("over the burst: %v %q %v, want a 500ms wait for the rate", ok, why, wait)
	}
	if _, _, ok := l.admit(b); !ok {
		t.Fatal("another address was held back")
	}
	now = now.Add(time.Second)
	if _, _, ok := l.admit(a); !ok {
		t.Fatal("the allowance did not refill")
	}

	for range 3 {
		l.refused(b)
	}
	if wait, why, ok := l.admit(b); ok || why != "refused" || wait != time.Minute {
		t.Fatalf("after three refusals: %v %q %v, want blocked for a minute", ok, why, wait)
	}
	now = now.Add(time.Minute)
	if _, _, ok := l.admit(b); !ok {
		t.Fatal("still blocked after the minute")
	}

	now = now.Add(10 * time.Minute)
	l.admit(b)
	if _, ok := l.byAddr[a]; ok {
		t.Error("an address idle for ten minutes is still tracked")
	}

	for i := range maxAddrs {
		l.byAddr[netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})] = &addrState{last: now}
	}
	if _, _, ok := l.admit(netip.MustParseAddr("192.0.2.9")); !ok {
		t.Error("a new address was refused with the table full")
	}
	if newAddrLimits(0, 0, 0, time.Now) != nil {
		t.Error("limits with nothing to limit are not off")
	}
}
