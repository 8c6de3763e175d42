package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline/reports"
)

// One address may hold only so many chat sockets: the next is refused
// with 429 and Retry-After, and once one closes another may open.
func TestSecurity_ChatSocketsPerAddress(t *testing.T) {
	g := startGateway(t, t.TempDir(), map[string]string{"HOTLINE_WEBCHAT_MAX_CONNECTIONS_PER_IP": "3"})
	var open []*client
	for range 3 {
		c := dial(t, g.addr, nil)
		c.hello("", "")
		open = append(open, c)
	}
	ws, resp, err := websocketDial("ws://"+g.addr+"/chat/ws", nil)
	if err == nil {
		_ = ws.Close()
		t.Fatal("a fourth socket from the same address was accepted")
	}
	if resp == nil || resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("fourth socket: %v %+v, want 429 with Retry-After", err, resp)
	}

	_ = open[0].ws.Close()
	waitUntil(t, "a socket free again", func() bool {
		ws, _, err := websocketDial("ws://"+g.addr+"/chat/ws", nil)
		if err != nil {
			return false
		}
		_ = ws.Close()
		return true
	})
}

// Each API token has its rate: over it the caller gets 429 with
// Retry-After and a reason, and after the wait it is served again.
func TestSecurity_APIRatePerToken(t *testing.T) {
	g := startGateway(t, t.TempDir(), ticketEnv(map[string]string{
		"HOTLINE_API_RATE_PER_SECOND": "1", "HOTLINE_API_RATE_BURST": "3"}))
	get := func() answer {
		req := newRequest(t, "GET", g.addr, "/api/v1/tickets", nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		return send(t, req)
	}
	for i := range 3 {
		if a := get(); a.status != http.StatusOK {
			t.Fatalf("request %d: HTTP %d %s", i+1, a.status, a.body)
		}
	}
	a := get()
	wait, _ := strconv.Atoi(a.header.Get("Retry-After"))
	var body struct{ Error, Reason string }
	_ = json.Unmarshal([]byte(a.body), &body)
	if a.status != http.StatusTooManyRequests || wait < 1 || body.Error != "rate_limited" || body.Reason == "" {
		t.Fatalf("over the rate: HTTP %d Retry-After %q %s", a.status, a.header.Get("Retry-After"), a.body)
	}
	checkRefusal(t, "over the rate", a, secrets())
	// Strangers do not spend the token's allowance, nor get its answer.
	stranger := newRequest(t, "GET", g.addr, "/api/v1/tickets", nil)
	stranger.Header.Set("Authorization", "Bearer "+secWrongBearer)
	if s := send(t, stranger); s.status != http.StatusUnauthorized {
		t.Fatalf("a wrong token while limited: HTTP %d", s.status)
	}
	time.Sleep(time.Duration(wait)*time.Second + 100*time.Millisecond)
	if a := get(); a.status != http.StatusOK {
		t.Fatalf("after Retry-After: HTTP %d", a.status)
	}
}

// Sign-ins from one address are throttled after five failures, even with
// the right password, and the answer says for how long without repeating
// what was sent.
func TestSecurity_SignInThrottleSaysHowLong(t *testing.T) {
	g := startDesk(t, nil, liNa)
	for range 5 {
		if _, st := signIn(t, g.addr, liNa.id, "guess-"+testPassword); st != http.StatusUnauthorized {
			t.Fatalf("a wrong password: HTTP %d", st)
		}
	}
	body, _ := json.Marshal(map[string]string{"name": liNa.id, "password": testPassword})
	a := send(t, newRequest(t, "POST", g.addr, "/agent/api/signin", body))
	wait, _ := strconv.Atoi(a.header.Get("Retry-After"))
	if a.status != http.StatusTooManyRequests || wait < 1 || wait > 61 || !strings.Contains(a.body, "too_many_attempts") {
		t.Fatalf("sixth sign-in: HTTP %d Retry-After %q %s", a.status, a.header.Get("Retry-After"), a.body)
	}
	checkRefusal(t, "throttled sign-in", a, secrets("guess-"+testPassword))
	for _, c := range a.header.Values("Set-Cookie") {
		t.Errorf("a throttled sign-in set a cookie: %s", c)
	}
}

// Slow clients are cut: connections that send their headers a byte at
// a time are closed after the header timeout, and one that sends its
// body a byte at a time after the read timeout, while the gateway keeps
// answering everyone else at once.
func TestSecurity_SlowClientsAreCut(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the server's read timeout")
	}
	g := startGateway(t, t.TempDir(), ticketEnv(nil))
	const slow = 200
	start := time.Now()
	cut := make(chan time.Duration, slow+1)
	var wg sync.WaitGroup
	drip := func(head, body string) {
		conn, err := net.Dial("tcp", g.addr)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		wg.Go(func() {
			// The server's answer, or its closing, ends the read.
			_, _ = bufio.NewReader(conn).ReadString('\n')
			cut <- time.Since(start)
			_ = conn.Close()
		})
		if body != "" {
			if _, err := conn.Write([]byte(head)); err != nil {
				return
			}
			head = body
		}
		for i := 0; i < len(head); i++ {
			if _, err := conn.Write([]byte{head[i]}); err != nil {
				return // cut
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	for range slow {
		go drip("GET /healthz HTTP/1.1\r\nHost: hotline\r\nX-Padding: "+strings.Repeat("x", 200)+"\r\n\r\n", "")
	}
	go drip(fmt.Sprintf("POST /api/v1/tickets HTTP/1.1\r\nHost: hotline\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n", testToken), strings.Repeat(" ", 4000))

	// Meanwhile everyone else is answered promptly.
	for time.Since(start) < readHeaderTimeout+time.Second {
		t0 := time.Now()
		resp, err := http.Get("http://" + g.addr + "/healthz")
		if err != nil {
			t.Fatalf("a quick client while %d drip: %v", slow, err)
		}
		_ = resp.Body.Close()
		if d := time.Since(t0); resp.StatusCode != http.StatusOK || d > time.Second {
			t.Fatalf("a quick client while %d drip: HTTP %d in %v", slow, resp.StatusCode, d)
		}
		time.Sleep(200 * time.Millisecond)
	}

	deadline := time.After(readTimeout + 10*time.Second)
	var headerCuts, bodyCut int
	for headerCuts+bodyCut < slow+1 {
		select {
		case d := <-cut:
			switch {
			case d < readHeaderTimeout-time.Second:
				t.Fatalf("a slow connection was cut after %v, before the header timeout", d)
			case d < readHeaderTimeout+3*time.Second:
				headerCuts++
			case d < readTimeout+3*time.Second:
				bodyCut++
			default:
				t.Fatalf("a slow connection was cut only after %v", d)
			}
		case <-deadline:
			t.Fatalf("%d of %d header drips and %d of 1 body drip were cut", headerCuts, slow, bodyCut)
		}
	}
	if headerCuts != slow || bodyCut != 1 {
		t.Fatalf("%d header drips cut in time (want %d), %d body drips (want 1)", headerCuts, slow, bodyCut)
	}
	wg.Wait()
}

// The three pages send a strict policy: scripts, styles and connections
// only from the gateway itself, nothing inline, no plugins, no <base>
// change, no framing by other sites; and nosniff and no referrer.
func TestSecurity_PageHeaders(t *testing.T) {
	g := startDesk(t, nil, liNa)
	for _, page := range []struct{ path, frame, xfo string }{
		{"/", "frame-ancestors 'self'", "SAMEORIGIN"},
		{"/agent/", "frame-ancestors 'none'", "DENY"},
		{reports.DashboardPath, "frame-ancestors 'none'", "DENY"},
	} {
		a := send(t, newRequest(t, "GET", g.addr, page.path, nil))
		csp := a.header.Get("Content-Security-Policy")
		directives := map[string]string{}
		for d := range strings.SplitSeq(csp, ";") {
			name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
			directives[name] = value
		}
		for _, bad := range []string{"'unsafe-inline'", "'unsafe-eval'", "*", "ws:", "wss:", "http:", "https:", "data:", "blob:"} {
			for name, v := range directives {
				if name != "img-src" && holds(strings.Fields(v), bad) {
					t.Errorf("%s: %s allows %s: %s", page.path, name, bad, csp)
				}
			}
		}
		script := directives["script-src"]
		if script == "" {
			script = directives["default-src"]
		}
		switch {
		case a.status != http.StatusOK:
			t.Errorf("%s: HTTP %d", page.path, a.status)
		case script != "'self'":
			t.Errorf("%s: scripts from %q, want 'self' only", page.path, script)
		case directives["object-src"] != "'none'" && directives["default-src"] != "'none'":
			t.Errorf("%s: plugins not refused: %s", page.path, csp)
		case directives["base-uri"] != "'none'":
			t.Errorf("%s: base-uri not 'none': %s", page.path, csp)
		case !strings.Contains(csp, page.frame) || a.header.Get("X-Frame-Options") != page.xfo:
			t.Errorf("%s: framing: %s, X-Frame-Options %q", page.path, csp, a.header.Get("X-Frame-Options"))
		case a.header.Get("X-Content-Type-Options") != "nosniff" || a.header.Get("Referrer-Policy") != "no-referrer":
			t.Errorf("%s: nosniff %q referrer %q", page.path, a.header.Get("X-Content-Type-Options"), a.header.Get("Referrer-Policy"))
		}
	}
	// The JSON answers are not sniffed either.
	for _, path := range []string{"/healthz", "/agent/api/me", "/api/v1/tickets", "/api/v1/reports/summary"} {
		a := send(t, newRequest(t, "GET", g.addr, path, nil))
		if a.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", path)
		}
	}
}

// holds reports whether list holds s.
func holds(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Another site cannot sign a browser in: a sign-in must be JSON, which a
// cross-site form cannot send without the browser asking first, and an
// Origin other than the console's is refused.
func TestSecurity_SignInOnlyFromTheConsole(t *testing.T) {
	g := startDesk(t, nil, liNa)
	form := newRequest(t, "POST", g.addr, "/agent/api/signin",
		[]byte("name="+liNa.id+"&password="+testPassword))
	form.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if a := send(t, form); a.status != http.StatusUnsupportedMediaType || len(a.header.Values("Set-Cookie")) != 0 {
		t.Fatalf("a form sign-in: HTTP %d %s, want 415 without a cookie", a.status, a.body)
	}

	body, _ := json.Marshal(map[string]string{"name": liNa.id, "password": testPassword})
	foreign := newRequest(t, "POST", g.addr, "/agent/api/signin", body)
	foreign.Header.Set("Content-Type", "application/json")
	foreign.Header.Set("Origin", "https://evil.example")
	if a := send(t, foreign); a.status != http.StatusForbidden || len(a.header.Values("Set-Cookie")) != 0 {
		t.Fatalf("a sign-in from another site: HTTP %d %s, want 403 without a cookie", a.status, a.body)
	}

	own := newRequest(t, "POST", g.addr, "/agent/api/signin", body)
	own.Header.Set("Content-Type", "application/json; charset=utf-8")
	own.Header.Set("Origin", "http://"+g.addr)
	if a := send(t, own); a.status != http.StatusOK {
		t.Fatalf("a sign-in from the console's page: HTTP %d %s", a.status, a.body)
	}
}
