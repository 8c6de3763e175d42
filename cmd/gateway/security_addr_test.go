package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// getTickets reads the ticket list with the test token, as from the
// client address forwarded ("" for none).
func getTickets(t *testing.T, addr, forwarded string) answer {
	t.Helper()
	req := newRequest(t, "GET", addr, "/api/v1/tickets", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	if forwarded != "" {
		req.Header.Set("X-Forwarded-For", forwarded)
	}
	return send(t, req)
}

// wantAddrLimited wants a 429 from the per-address limits: Retry-After in
// whole seconds and a JSON reason naming why.
func wantAddrLimited(t *testing.T, what string, a answer, why string) {
	t.Helper()
	wait, _ := strconv.Atoi(a.header.Get("Retry-After"))
	var body struct{ Error, Reason string }
	_ = json.Unmarshal([]byte(a.body), &body)
	if a.status != http.StatusTooManyRequests || wait < 1 || body.Error != "rate_limited" || !strings.Contains(body.Reason, why) {
		t.Fatalf("%s: HTTP %d Retry-After %q %s, want 429 saying %q", what, a.status, a.header.Get("Retry-After"), a.body, why)
	}
	checkRefusal(t, what, a, secrets())
}

// One address over its request rate is told to wait, with the probes
// still answered; another address is not held back by it.
func TestSecurity_RatePerAddress(t *testing.T) {
	g := startGateway(t, t.TempDir(), ticketEnv(map[string]string{
		"HOTLINE_HTTP_RATE_PER_ADDRESS": "1", "HOTLINE_HTTP_BURST_PER_ADDRESS": "4",
		"HOTLINE_API_RATE_PER_SECOND": "0",
	}))
	for i := range 4 {
		if a := getTickets(t, g.addr, ""); a.status != http.StatusOK {
			t.Fatalf("request %d: HTTP %d %s", i+1, a.status, a.body)
		}
	}
	wantAddrLimited(t, "over the address's rate", getTickets(t, g.addr, ""), "too many requests from this address")
	if readiness(t, g.addr) != http.StatusOK {
		t.Error("the readiness probe was limited")
	}

	page := send(t, newRequest(t, "GET", g.addr, "/chat/", nil))
	if page.status != http.StatusTooManyRequests || !strings.Contains(page.body, "请求过于频繁") ||
		!strings.Contains(page.body, "try again") {
		t.Errorf("a page over the rate: HTTP %d %q, want 429 in Chinese and English", page.status, page.body)
	}
}

// Wrong signatures and tokens from one address block it for a minute,
// with right ones too; another address is not blocked.
func TestSecurity_RefusalsPerAddress(t *testing.T) {
	g := startGateway(t, t.TempDir(), ticketEnv(wechatEnv(map[string]string{
		"HOTLINE_HTTP_REFUSALS_PER_ADDRESS": "5", "HOTLINE_HTTP_TRUSTED_PROXIES": "127.0.0.1",
	})))
	const attacker, other = "203.0.113.66", "198.51.100.7"
	for i := range 5 {
		req := newRequest(t, "POST", g.addr, "/wechat?signature=0&timestamp=1&nonce=2", []byte("<xml/>"))
		req.Header.Set("X-Forwarded-For", attacker)
		if a := send(t, req); a.status != http.StatusForbidden {
			t.Fatalf("forged callback %d: HTTP %d, want 403", i+1, a.status)
		}
	}
	wantAddrLimited(t, "the right token after five forgeries", getTickets(t, g.addr, attacker), "refused")
	if a := getTickets(t, g.addr, other); a.status != http.StatusOK {
		t.Fatalf("another address: HTTP %d %s", a.status, a.body)
	}
	// A client cannot claim another address: only the entry the trusted
	// proxy added counts, not what the client wrote before it.
	wantAddrLimited(t, "a spoofed address before the real one", getTickets(t, g.addr, other+", "+attacker), "refused")
	if a := getTickets(t, g.addr, attacker+", "+other); a.status != http.StatusOK {
		t.Fatalf("the attacker's address written by the client: HTTP %d, want the proxy's entry to count", a.status)
	}
}

// Behind a trusted proxy that ends TLS, the console's cookie is Secure
// and HSTS is sent; the same header from an untrusted address changes
// nothing.
func TestSecurity_HTTPSBehindATrustedProxy(t *testing.T) {
	signInVia := func(t *testing.T, addr, proto string) answer {
		body, _ := json.Marshal(map[string]string{"name": liNa.id, "password": testPassword})
		req := newRequest(t, "POST", addr, "/agent/api/signin", body)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", "203.0.113.20")
		req.Header.Set("X-Forwarded-Proto", proto)
		return send(t, req)
	}
	secure := func(a answer) bool {
		for _, c := range a.header.Values("Set-Cookie") {
			if strings.Contains(c, "; Secure") {
				return true
			}
		}
		return false
	}

	trusted := startDesk(t, map[string]string{"HOTLINE_HTTP_TRUSTED_PROXIES": "127.0.0.0/8"}, liNa)
	a := signInVia(t, trusted.addr, "https")
	if a.status != http.StatusOK || !secure(a) || a.header.Get("Strict-Transport-Security") == "" {
		t.Fatalf("over HTTPS through the proxy: HTTP %d, cookies %q, HSTS %q", a.status,
			a.header.Values("Set-Cookie"), a.header.Get("Strict-Transport-Security"))
	}
	if a := signInVia(t, trusted.addr, "http"); a.status != http.StatusOK || secure(a) || a.header.Get("Strict-Transport-Security") != "" {
		t.Fatalf("over HTTP through the proxy: cookies %q, HSTS %q", a.header.Values("Set-Cookie"),
			a.header.Get("Strict-Transport-Security"))
	}

	untrusted := startDesk(t, nil, liNa)
	if a := signInVia(t, untrusted.addr, "https"); a.status != http.StatusOK || secure(a) ||
		a.header.Get("Strict-Transport-Security") != "" {
		t.Fatalf("a forwarded https from an untrusted address was believed: cookies %q", a.header.Values("Set-Cookie"))
	}
	if !strings.Contains(untrusted.logs.String(), "X-Forwarded-For from an address not in http.trusted_proxies") {
		t.Error("no warning about the forwarded header from an untrusted address")
	}
}
