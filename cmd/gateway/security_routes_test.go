package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// access is what a route asks of a caller.
type access int

const (
	open            access = iota // anyone
	apiToken                      // a back-office bearer token
	scraperToken                  // the scraper's bearer token
	reportReader                  // a supervisor's session or a back-office token
	consoleSession                // any agent's session cookie
	signinForm                    // a name and password
	signoutForm                   // ends whatever session it carries
	crmSignature                  // the CRM's HMAC over timestamp and body
	wechatSignature               // WeChat's signature and a fresh timestamp
	twilioSignature               // Twilio's signature over URL and form
	pathToken                     // the channel's secret path segment
	chatSocket                    // the web chat's origin rules
	consoleSocket                 // an agent's session and the console's origin rules
)

// route is one thing the gateway serves, as a request with the right
// credential, and what it covers of the registrations (see
// registrations): a mux pattern such as "GET /healthz", or a dispatch of
// routes.go such as "prefix /sms/".
type route struct {
	covers      string
	method      string
	path        string // {ticket}, {outage} and {token} are filled in
	access      access
	body        string // sent with the right credential; {ticket} filled in
	form        url.Values
	ok          int    // the status with the right credential
	wrongMethod string // a method that must be answered 405
}

// gatewayRoutes is every route of the fully configured gateway. A
// registration in the code that no row covers fails
// TestSecurity_RouteTableIsComplete.
var gatewayRoutes = []route{
	{covers: "GET /healthz", method: "GET", path: "/healthz", access: open, ok: 200, wrongMethod: "POST"},
	{covers: "GET /readyz", method: "GET", path: "/readyz", access: open, ok: 200, wrongMethod: "POST"},
	{covers: "GET /metrics", method: "GET", path: "/metrics", access: scraperToken, ok: 200, wrongMethod: "POST"},
	{covers: "GET /", method: "GET", path: "/", access: open, ok: 200, wrongMethod: "POST"},
	{covers: "GET /", method: "GET", path: "/chat.js", access: open, ok: 200, wrongMethod: "DELETE"},
	{covers: "GET /dashboard/", method: "GET", path: "/dashboard/", access: open, ok: 200, wrongMethod: "POST"},
	{covers: "GET /agent/", method: "GET", path: "/agent/", access: open, ok: 200, wrongMethod: "POST"},
	{covers: "GET /agent", method: "GET", path: "/agent", access: open, ok: 301, wrongMethod: "POST"},
	{covers: "GET /agent/api/", method: "GET", path: "/agent/api/no-such-thing", access: open, ok: 404},
	{covers: "POST /agent/api/signin", method: "POST", path: "/agent/api/signin", access: signinForm, ok: 200, wrongMethod: "GET"},
	{covers: "GET /agent/api/me", method: "GET", path: "/agent/api/me", access: consoleSession, ok: 200, wrongMethod: "POST"},
	{covers: "POST /agent/api/signout", method: "POST", path: "/agent/api/signout", access: signoutForm, ok: 204, wrongMethod: "GET"},
	{covers: "GET /agent/ws", method: "GET", path: "/agent/ws", access: consoleSocket, ok: 101, wrongMethod: "POST"},
	{covers: "GET /chat/ws", method: "GET", path: "/chat/ws", access: chatSocket, ok: 101, wrongMethod: "POST"},

	{covers: "prefix /api/v1/", method: "GET", path: "/api/v1/no-such-thing", access: apiToken, ok: 404},
	{covers: "/", method: "GET", path: "/api/v1/tickets/{ticket}/history", access: apiToken, ok: 404},
	{covers: "GET /api/v1/tickets", method: "GET", path: "/api/v1/tickets", access: apiToken, ok: 200, wrongMethod: "DELETE"},
	{covers: "POST /api/v1/tickets", method: "POST", path: "/api/v1/tickets", access: apiToken, ok: 201,
		body: `{"kind":"fault","summary":"security walk","phone":"13900001111"}`, wrongMethod: "PUT"},
	{covers: "GET /api/v1/tickets/{id}", method: "GET", path: "/api/v1/tickets/{ticket}", access: apiToken, ok: 200, wrongMethod: "DELETE"},
	{covers: "PATCH /api/v1/tickets/{id}", method: "PATCH", path: "/api/v1/tickets/{ticket}", access: apiToken, ok: 200,
		body: `{"note":"security walk"}`, wrongMethod: "POST"},
	{covers: "GET /api/v1/outages", method: "GET", path: "/api/v1/outages", access: apiToken, ok: 200, wrongMethod: "DELETE"},
	{covers: "POST /api/v1/outages", method: "POST", path: "/api/v1/outages", access: apiToken, ok: 201,
		body: `{"service":"broadband","area":"haidian","description":"security walk","expected_fix":"{fix}"}`, wrongMethod: "PUT"},
	{covers: "GET /api/v1/outages/{id}", method: "GET", path: "/api/v1/outages/{outage}", access: apiToken, ok: 200, wrongMethod: "DELETE"},
	{covers: "PATCH /api/v1/outages/{id}", method: "PATCH", path: "/api/v1/outages/{outage}", access: apiToken, ok: 200,
		body: `{"description":"security walk, updated"}`, wrongMethod: "PUT"},
	{covers: "POST /api/v1/outages/{id}/close", method: "POST", path: "/api/v1/outages/{outage}/close", access: apiToken, ok: 200,
		body: `{"note":"security walk"}`, wrongMethod: "GET"},
	{covers: "GET /api/v1/openapi.yaml", method: "GET", path: "/api/v1/openapi.yaml", access: open, ok: 200},

	{covers: "prefix /api/v1/reports/", method: "GET", path: "/api/v1/reports/no-such-report", access: reportReader, ok: 404},
	{covers: "GET /api/v1/reports/summary", method: "GET", path: "/api/v1/reports/summary", access: reportReader, ok: 200, wrongMethod: "POST"},
	{covers: "GET /api/v1/reports/daily", method: "GET", path: "/api/v1/reports/daily", access: reportReader, ok: 200, wrongMethod: "POST"},
	{covers: "GET /api/v1/reports/channels", method: "GET", path: "/api/v1/reports/channels", access: reportReader, ok: 200, wrongMethod: "POST"},
	{covers: "GET /api/v1/reports/tickets", method: "GET", path: "/api/v1/reports/tickets", access: reportReader, ok: 200, wrongMethod: "POST"},
	{covers: "GET /api/v1/reports/satisfaction", method: "GET", path: "/api/v1/reports/satisfaction", access: reportReader, ok: 200, wrongMethod: "POST"},
	{covers: "GET /api/v1/reports/gaps", method: "GET", path: "/api/v1/reports/gaps", access: reportReader, ok: 200, wrongMethod: "POST"},
	{covers: "GET /api/v1/reports/live", method: "GET", path: "/api/v1/reports/live", access: reportReader, ok: 200, wrongMethod: "POST"},

	{covers: "path /hooks/crm", method: "POST", path: "/hooks/crm", access: crmSignature, ok: 200,
		body: `{"ticket_id":"{ticket}","note":"from the CRM","event_id":"sec-walk-1"}`, wrongMethod: "GET"},
	{covers: "path /wechat", method: "GET", path: "/wechat", access: wechatSignature, ok: 200, wrongMethod: "PUT"},
	{covers: "prefix /sms/", method: "POST", path: "/sms/twilio/inbound", access: twilioSignature, ok: 200, wrongMethod: "GET",
		form: url.Values{"MessageSid": {"SMsecwalk0001"}, "AccountSid": {smsAccount}, "From": {"+8613700137000"},
			"To": {smsFrom}, "Body": {"营业厅几点开门"}, "NumMedia": {"0"}}},
	{covers: "prefix /sms/", method: "POST", path: "/sms/twilio/status", access: twilioSignature, ok: 200, wrongMethod: "GET",
		form: url.Values{"MessageSid": {"SMsecwalk0002"}, "AccountSid": {smsAccount}, "MessageStatus": {"delivered"}}},
	{covers: "prefix /sms/", method: "POST", path: "/sms/ali/inbound/{token}", access: pathToken, ok: 200, wrongMethod: "GET",
		body: `[{"phone_number":"13800138000","content":"营业厅几点开门","send_time":"{now}","dest_code":"1234","sequence_id":"9001"}]`},
	{covers: "prefix /sms/", method: "POST", path: "/sms/ali/status/{token}", access: pathToken, ok: 200, wrongMethod: "GET",
		body: `[{"phone_number":"13800138000","send_time":"{now}","report_time":"{now}","success":true,"err_code":"DELIVERED","biz_id":"x1","out_id":""}]`},
}

// attempt is one credential sent to a route and the status it must get.
type attempt struct {
	cred string
	want int
}

// attempts are the credentials each kind of route is tried with: none,
// the wrong ones, and the right one last.
func attempts(rt route) []attempt {
	unauth, refused := http.StatusUnauthorized, http.StatusForbidden
	switch rt.access {
	case apiToken:
		return []attempt{{"none", unauth}, {"bearer-wrong", unauth}, {"basic", unauth},
			{"bearer-metrics", unauth}, {"cookie-supervisor", unauth}, {"right", rt.ok}}
	case scraperToken:
		return []attempt{{"none", unauth}, {"bearer-wrong", unauth}, {"bearer-api", unauth}, {"right", rt.ok}}
	case reportReader:
		return []attempt{{"none", unauth}, {"bearer-wrong", unauth}, {"cookie-forged", unauth},
			{"cookie-revoked", unauth}, {"cookie-agent", refused}, {"bearer-api", rt.ok}, {"right", rt.ok}}
	case consoleSession:
		return []attempt{{"none", unauth}, {"cookie-forged", unauth}, {"cookie-revoked", unauth}, {"right", rt.ok}}
	case signinForm:
		return []attempt{{"none", http.StatusBadRequest}, {"password-wrong", unauth}, {"right", rt.ok}}
	case signoutForm:
		return []attempt{{"none", rt.ok}, {"right", rt.ok}}
	case crmSignature:
		return []attempt{{"none", unauth}, {"sig-wrong", unauth}, {"sig-stale", unauth}, {"right", rt.ok}}
	case wechatSignature:
		return []attempt{{"none", refused}, {"sig-wrong", refused}, {"sig-stale", refused}, {"right", rt.ok}}
	case twilioSignature:
		return []attempt{{"none", refused}, {"sig-wrong", refused}, {"right", rt.ok}}
	case pathToken:
		return []attempt{{"token-missing", refused}, {"token-wrong", refused}, {"right", rt.ok}}
	case chatSocket:
		return []attempt{{"origin-evil", refused}, {"not-upgrade", http.StatusBadRequest}, {"right", rt.ok}}
	case consoleSocket:
		return []attempt{{"none", unauth}, {"cookie-forged", unauth}, {"cookie-revoked", unauth},
			{"origin-evil", refused}, {"right", rt.ok}}
	}
	return []attempt{{"right", rt.ok}}
}

// walker sends the attempts to the secured gateway.
type walker struct {
	t                    *testing.T
	s                    *secured
	agent, boss, revoked *http.Cookie
	ticket, outage       string
}

// fill puts the walk's ids and times into a path or body.
func (w *walker) fill(s string) string {
	return strings.NewReplacer("{ticket}", w.ticket, "{outage}", w.outage,
		"{fix}", time.Now().Add(4*time.Hour).Format(time.RFC3339),
		"{now}", time.Now().In(shanghai(w.t)).Format("2006-01-02 15:04:05")).Replace(s)
}

// request builds the route's request with a credential; method "" is
// the route's own.
func (w *walker) request(rt route, cred, method string) *http.Request {
	t := w.t
	if method == "" {
		method = rt.method
	}
	path := w.fill(rt.path)
	switch cred {
	case "token-missing":
		path = strings.TrimSuffix(path, "/{token}")
	case "token-wrong":
		path = strings.ReplaceAll(path, "{token}", "wrong-"+secPathToken[:8])
	default:
		path = strings.ReplaceAll(path, "{token}", secPathToken)
	}
	body := []byte(w.fill(rt.body))
	if rt.form != nil {
		body = []byte(rt.form.Encode())
	}
	switch {
	case rt.access == signinForm && cred == "none":
		body = nil
	case rt.access == signinForm:
		password := testPassword
		if cred == "password-wrong" {
			password = "not the password"
		}
		body, _ = json.Marshal(map[string]string{"name": liNa.id, "password": password})
	}
	if len(body) == 0 {
		body = nil
	}
	req := newRequest(t, method, w.s.addr, path, body)
	if rt.body != "" || rt.access == signinForm {
		req.Header.Set("Content-Type", "application/json")
	}

	switch cred {
	case "bearer-wrong":
		req.Header.Set("Authorization", "Bearer "+secWrongBearer)
	case "basic":
		req.SetBasicAuth("env", testToken)
	case "bearer-metrics":
		req.Header.Set("Authorization", "Bearer "+secMetricsToken)
	case "bearer-api":
		req.Header.Set("Authorization", "Bearer "+testToken)
	case "cookie-forged":
		req.AddCookie(&http.Cookie{Name: "hotline_agent", Value: secForgedCookie})
	case "cookie-revoked":
		req.AddCookie(w.revoked)
	case "cookie-agent":
		req.AddCookie(w.agent)
	case "cookie-supervisor":
		req.AddCookie(w.boss)
	case "origin-evil":
		req.Header.Set("Origin", "https://evil.example")
		if rt.access == consoleSocket {
			req.AddCookie(w.agent)
		}
	case "sig-wrong":
		w.sign(rt, req, path, body, "wrong-"+crmSecret, time.Now())
	case "sig-stale":
		w.sign(rt, req, path, body, "", time.Now().Add(-20*time.Minute))
	case "right":
		w.sign(rt, req, path, body, "", time.Now())
	}
	if rt.access == twilioSignature && cred == "none" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if (rt.access == chatSocket || rt.access == consoleSocket) && cred != "not-upgrade" {
		req.Header.Set("Connection", "Upgrade")
		req.Header.Set("Upgrade", "websocket")
		req.Header.Set("Sec-WebSocket-Version", "13")
		req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	}
	return req
}

// sign adds the right credential of the route's kind, signed with secret
// (the right one when empty) at the given time.
func (w *walker) sign(rt route, req *http.Request, path string, body []byte, secret string, at time.Time) {
	wrong := secret != ""
	switch rt.access {
	case apiToken:
		req.Header.Set("Authorization", "Bearer "+testToken)
	case scraperToken:
		req.Header.Set("Authorization", "Bearer "+secMetricsToken)
	case reportReader:
		req.AddCookie(w.boss)
	case consoleSession:
		req.AddCookie(w.agent)
	case signoutForm:
		// A session of its own: the walk's agent stays signed in.
		ck, status := signIn(w.t, w.s.addr, liNa.id, testPassword)
		if ck == nil {
			w.t.Fatalf("sign in to sign out: %d", status)
		}
		req.AddCookie(ck)
	case consoleSocket:
		req.AddCookie(w.agent)
		req.Header.Set("Origin", "http://"+w.s.addr)
	case chatSocket:
		req.Header.Set("Origin", "http://"+w.s.addr)
	case crmSignature:
		if !wrong {
			secret = crmSecret
		}
		signCRM(req, secret, body, at)
	case wechatSignature:
		token := wxToken
		if wrong {
			token = "wrong-" + wxToken
		}
		q := wechatQuery(token, at)
		q.Set("echostr", "echo-4711")
		req.URL.RawQuery = q.Encode()
	case twilioSignature:
		token := smsToken
		if wrong {
			token = "wrong-" + smsToken
		}
		signTwilio(req, token, path, rt.form)
	}
}

// walkSetup signs the agents in, revokes a session, and opens the
// ticket and the outage the walk's paths name.
func walkSetup(t *testing.T, s *secured) *walker {
	t.Helper()
	w := &walker{t: t, s: s}
	var status int
	if w.agent, status = signIn(t, s.addr, liNa.id, testPassword); w.agent == nil {
		t.Fatalf("sign in li.na: %d", status)
	}
	if w.boss, status = signIn(t, s.addr, secBoss.id, testPassword); w.boss == nil {
		t.Fatalf("sign in boss: %d", status)
	}
	if w.revoked, status = signIn(t, s.addr, liNa.id, testPassword); w.revoked == nil {
		t.Fatalf("sign in li.na again: %d", status)
	}
	out := newRequest(t, "POST", s.addr, "/agent/api/signout", nil)
	out.AddCookie(w.revoked)
	if a := send(t, out); a.status != http.StatusNoContent {
		t.Fatalf("sign out: %d %s", a.status, a.body)
	}
	api := newAPI(t, s.gw)
	st, tk := api.call("POST", "/tickets", map[string]any{"kind": "fault", "summary": "walk", "phone": "13900002222"}, "")
	if st != http.StatusCreated {
		t.Fatalf("open a ticket: %d %v", st, tk)
	}
	w.ticket = tk["id"].(string)
	st, o := api.call("POST", "/outages", map[string]any{"service": "broadband", "area": "chaoyang",
		"description": "walk", "expected_fix": time.Now().Add(2 * time.Hour).Format(time.RFC3339)}, "")
	if st != http.StatusCreated {
		t.Fatalf("declare an outage: %d %v", st, o)
	}
	w.outage = o["id"].(string)
	return w
}

// checkRefusal checks what a refused request was told: a reason, and no
// secret.
func checkRefusal(t *testing.T, what string, a answer, secretList []string) {
	t.Helper()
	if a.status >= 400 && len(strings.TrimSpace(a.body)) < 10 {
		t.Errorf("%s: HTTP %d with body %q, want a reason", what, a.status, a.body)
	}
	for _, s := range secretList {
		if strings.Contains(a.body, s) {
			t.Errorf("%s: the answer echoes a secret %q: %s", what, s, a.body)
		}
		for k, vs := range a.header {
			for _, v := range vs {
				if strings.Contains(v, s) && !(k == "Set-Cookie" && strings.Contains(what, "right")) {
					t.Errorf("%s: header %s echoes a secret", what, k)
				}
			}
		}
	}
}

// Every route answers exactly: without a credential, with each wrong
// one, with the wrong method and with the right credential; refusals
// say why and repeat no secret.
func TestSecurity_EveryRouteGuarded(t *testing.T) {
	s := startSecured(t, map[string]string{"HOTLINE_API_RATE_PER_SECOND": "1000", "HOTLINE_API_RATE_BURST": "1000"})
	w := walkSetup(t, s)
	list := secrets(w.agent.Value, w.boss.Value, w.revoked.Value)
	for _, rt := range gatewayRoutes {
		for _, at := range attempts(rt) {
			what := fmt.Sprintf("%s %s with %s", rt.method, rt.path, at.cred)
			a := send(t, w.request(rt, at.cred, ""))
			if a.status != at.want {
				t.Errorf("%s: HTTP %d, want %d: %.200s", what, a.status, at.want, a.body)
			}
			checkRefusal(t, what, a, list)
		}
		if rt.wrongMethod == "" {
			continue
		}
		what := fmt.Sprintf("%s %s (the route is %s)", rt.wrongMethod, rt.path, rt.method)
		a := send(t, w.request(rt, "right", rt.wrongMethod))
		if a.status != http.StatusMethodNotAllowed || a.header.Get("Allow") == "" {
			t.Errorf("%s: HTTP %d Allow %q, want 405 with Allow", what, a.status, a.header.Get("Allow"))
		}
		checkRefusal(t, what, a, list)
	}
	if got := len(w.s.crm.received()); got == 0 {
		t.Error("the CRM got no event: the walk's ticket changes were not relayed")
	}
	for _, secret := range secrets(w.agent.Value, w.boss.Value) {
		if strings.Contains(s.logs.String(), secret) {
			t.Errorf("the logs hold the secret %q", secret)
		}
	}
}

// Paths next to the routes that nothing serves are not found, and do
// not tell a stranger more than a route refusing them does.
func TestSecurity_UnknownPathsAreNotFound(t *testing.T) {
	s := startSecured(t, nil)
	for path, want := range map[string]int{
		"/no-such-page":                      404,
		"/agent/no-such-file.js":             404,
		"/dashboard/no-such-file":            404,
		"/agent/api/no-such-thing":           404,
		"/sms/no-such-channel/x":             404,
		"/sms/twilio/inbound/extra":          404,
		"/sms/ali/elsewhere/" + secPathToken: 404,
		"/api/v1/no-such-thing":              401, // the API asks for a token before it says what exists
		"/api/v1/reports/nothing":            401,
		"/hooks/crm/x":                       404,
		"/wechat/x":                          404,
	} {
		req := newRequest(t, "GET", s.addr, "/", nil)
		req.URL.Opaque = "//" + s.addr + path // as sent, without the client's cleaning
		a := send(t, req)
		if a.status != want && !(want == 404 && a.status == 405) {
			t.Errorf("GET %s: HTTP %d, want %d: %.200s", path, a.status, want, a.body)
		}
		checkRefusal(t, "GET "+path, a, secrets())
	}
	// Climbing out of the pages' folders reaches nothing.
	for _, path := range []string{"/../configs/gateway.yaml", "/%2e%2e/configs/gateway.yaml",
		"/agent/../../configs/gateway.yaml", "/dashboard/..%2f..%2fconfigs/gateway.yaml", "/static/../static.go"} {
		req := newRequest(t, "GET", s.addr, "/", nil)
		req.URL.Opaque = "//" + s.addr + path
		a := send(t, req)
		if a.status == http.StatusOK || strings.Contains(a.body, "data_dir") || strings.Contains(a.body, "package ") {
			t.Errorf("GET %s: HTTP %d %.100s", path, a.status, a.body)
		}
	}
}

// registrations reads the module's code for every route it registers:
// the patterns given to Handle and HandleFunc, the method and path pairs
// of route tables (the ticket API's), and the paths routes.go dispatches
// on by hand. It fails the test on a registration whose pattern is not a
// constant it can read.
func registrations(t *testing.T) []string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	type file struct {
		pkg string
		f   *ast.File
	}
	var files []file
	consts := map[string]ast.Expr{} // "pkg.Name" → expression
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && (strings.HasPrefix(name, ".") || name == "testdata" || strings.HasSuffix(name, "test")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		pkg := filepath.Base(filepath.Dir(path))
		files = append(files, file{pkg, f})
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						consts[pkg+"."+n.Name] = vs.Values[i]
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	var eval func(pkg string, e ast.Expr) (string, bool)
	eval = func(pkg string, e ast.Expr) (string, bool) {
		switch e := e.(type) {
		case *ast.BasicLit:
			if e.Kind != token.STRING {
				return "", false
			}
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		case *ast.ParenExpr:
			return eval(pkg, e.X)
		case *ast.BinaryExpr:
			a, ok1 := eval(pkg, e.X)
			b, ok2 := eval(pkg, e.Y)
			return a + b, ok1 && ok2 && e.Op == token.ADD
		case *ast.Ident:
			if v, ok := consts[pkg+"."+e.Name]; ok {
				return eval(pkg, v)
			}
		case *ast.SelectorExpr:
			x, ok := e.X.(*ast.Ident)
			if !ok {
				return "", false
			}
			if x.Name == "http" && strings.HasPrefix(e.Sel.Name, "Method") {
				return strings.ToUpper(strings.TrimPrefix(e.Sel.Name, "Method")), true
			}
			if v, ok := consts[x.Name+"."+e.Sel.Name]; ok {
				return eval(x.Name, v)
			}
		}
		return "", false
	}

	// Registrations with a pattern made at run time, and where it is read.
	dynamic := map[string]bool{
		"tickets/api.go: rt.Method + \" \" + rt.Path": true, // the apiRoutes table, read below
	}
	var found []string
	for _, f := range files {
		where := func(n ast.Node) string {
			p := fset.Position(n.Pos())
			rel, _ := filepath.Rel(root, p.Filename)
			return rel
		}
		ast.Inspect(f.f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if ok && (sel.Sel.Name == "Handle" || sel.Sel.Name == "HandleFunc") && len(n.Args) == 2 {
					if p, ok := eval(f.pkg, n.Args[0]); ok {
						found = append(found, p)
					} else if key := where(n) + ": " + exprString(fset, n.Args[0]); !dynamic[key] {
						t.Errorf("%s registers a pattern the route table cannot check", key)
					}
				}
				// routes.go dispatches some paths itself.
				if ok && sel.Sel.Name == "HasPrefix" && where(n) == "cmd/gateway/routes.go" && len(n.Args) == 2 {
					if p, ok := eval(f.pkg, n.Args[1]); ok {
						found = append(found, "prefix "+p)
					}
				}
			case *ast.BinaryExpr:
				if n.Op == token.EQL && where(n) == "cmd/gateway/routes.go" && exprString(fset, n.X) == "r.URL.Path" {
					if p, ok := eval(f.pkg, n.Y); ok {
						found = append(found, "path "+p)
					} else if exprString(fset, n.Y) == "g.cfg.WeChat.Path" {
						found = append(found, "path /wechat") // the shipped wechat.path
					} else {
						t.Errorf("routes.go dispatches on %s, which the route table cannot check", exprString(fset, n.Y))
					}
				}
			case *ast.CompositeLit:
				var method, path string
				for _, el := range n.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					key, _ := kv.Key.(*ast.Ident)
					switch {
					case key == nil:
					case key.Name == "Method":
						method, _ = eval(f.pkg, kv.Value)
					case key.Name == "Path":
						path, _ = eval(f.pkg, kv.Value)
					}
				}
				if method != "" && strings.HasPrefix(path, "/") {
					found = append(found, method+" "+path)
				}
			}
			return true
		})
	}
	slices.Sort(found)
	return slices.Compact(found)
}

// exprString is the source of an expression.
func exprString(fset *token.FileSet, e ast.Expr) string {
	var b strings.Builder
	_ = printer.Fprint(&b, fset, e)
	return b.String()
}

// The route table covers every route the code registers, and names none
// that it does not: a new route fails here until it is in the table, and
// so walked by TestSecurity_EveryRouteGuarded.
func TestSecurity_RouteTableIsComplete(t *testing.T) {
	found := registrations(t)
	if len(found) < 30 {
		t.Fatalf("found only %d registrations, the reading of the code is broken: %q", len(found), found)
	}
	covered := map[string]bool{}
	for _, rt := range gatewayRoutes {
		covered[rt.covers] = true
		if !slices.Contains(found, rt.covers) {
			t.Errorf("the table names %q, which the code does not register", rt.covers)
		}
	}
	for _, p := range found {
		if !covered[p] {
			t.Errorf("the code registers %q, which the route table does not walk", p)
		}
	}
}

// Every file of the three pages is served with the headers that keep it
// from being sniffed or framed, and the pages with their policy.
func TestSecurity_StaticFilesHaveHeaders(t *testing.T) {
	s := startSecured(t, nil)
	for dir, prefix := range map[string]string{"../../channels/webchat/static": "/",
		"../../handoff/console/static": "/agent/", "../../reports/web": "/dashboard/"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			path := prefix + e.Name()
			a := send(t, newRequest(t, "GET", s.addr, path, nil))
			want := http.StatusOK
			if e.Name() == "index.html" {
				// The file server sends index.html's address to its folder.
				want = http.StatusMovedPermanently
			}
			if a.status != want {
				t.Errorf("GET %s: HTTP %d, want %d", path, a.status, want)
				continue
			}
			if a.header.Get("X-Content-Type-Options") != "nosniff" || a.header.Get("Content-Security-Policy") == "" {
				t.Errorf("GET %s: headers %v", path, a.header)
			}
		}
	}
}
