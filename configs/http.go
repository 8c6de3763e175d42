package configs

import (
	"net/netip"
	"strings"
)

// HTTPConfig sets how the gateway tells its clients apart by address and
// how much it takes from one address.
type HTTPConfig struct {
	// TrustedProxies are the addresses (or CIDR ranges) of the proxies and
	// load balancers in front of the gateway. A request from one of them
	// is taken to come from the address its X-Forwarded-For names; from
	// anywhere else the header is ignored.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// RatePerAddress is how many requests a second one client address may
	// make (websocket frames are limited per socket instead), with
	// BurstPerAddress at once; then 429 with Retry-After. 0: no limit.
	RatePerAddress float64 `yaml:"rate_per_address"`
	// BurstPerAddress: see RatePerAddress.
	BurstPerAddress int `yaml:"burst_per_address"`
	// RefusalsPerAddress is how many requests of one address may be
	// refused for a wrong credential or signature (401, 403) in a minute;
	// past it the address gets 429 for a minute. 0: no limit.
	RefusalsPerAddress int `yaml:"refusals_per_address"`
}

// Prefixes returns the trusted proxies as address ranges. It is only
// called on validated settings, where each entry parses.
func (h HTTPConfig) Prefixes() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range h.TrustedProxies {
		if p, ok := parseProxy(s); ok {
			out = append(out, p)
		}
	}
	return out
}

// parseProxy reads an address or a CIDR range.
func parseProxy(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err == nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

func (c *Config) validateHTTP(bad func(string, string, ...any)) {
	h := c.HTTP
	for _, s := range h.TrustedProxies {
		if _, ok := parseProxy(s); !ok {
			bad("http.trusted_proxies", "want addresses or CIDR ranges such as 10.0.0.0/8, got %q", s)
		}
	}
	if h.RatePerAddress < 0 {
		bad("http.rate_per_address", "must not be negative (0 means no limit)")
	}
	if h.RatePerAddress > 0 && h.BurstPerAddress < 1 {
		bad("http.burst_per_address", "must be at least 1 with a rate")
	}
	if h.RefusalsPerAddress < 0 {
		bad("http.refusals_per_address", "must not be negative (0 means no limit)")
	}
}
