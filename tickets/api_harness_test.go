package tickets_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline/store/sqldb"
	"hotline/tickets"
)

// Tokens the test API accepts.
const (
	backofficeToken = "bo-7f3a9c51e2d84b06a1c5"
	crmToken        = "crm-2b8e4d6f0a1c3e5g7h9k"
)

// cst is the operator's time zone in the tests.
var cst = time.FixedZone("CST", 8*3600)

// testClock is a time the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// lockedBuffer collects logs written from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// apiEnv is the API over a real SQLite store, served by httptest.
type apiEnv struct {
	svc   *tickets.Service
	clock *testClock
	srv   *httptest.Server
	spec  *apiSpec
	logs  *lockedBuffer
}

// newAPIEnv starts an API over a fresh database; edit may change its
// config before it starts.
func newAPIEnv(t testing.TB, edit ...func(*tickets.APIConfig)) *apiEnv {
	t.Helper()
	db, err := sqldb.Open(context.Background(), sqldb.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })

	e := &apiEnv{logs: &lockedBuffer{}, spec: loadSpec(t),
		clock: &testClock{now: time.Date(2026, 12, 3, 9, 0, 0, 0, cst)}}
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	policy := tickets.DefaultPolicy()
	policy.Location = cst
	e.svc = tickets.NewService(tickets.Config{Store: sqldb.NewTickets(db), Policy: policy,
		Now: e.clock.Now, Log: log, CRM: true})

	c := tickets.APIConfig{Service: e.svc, Log: log, Tokens: []tickets.Token{
		{Name: "backoffice", Secret: backofficeToken},
		{Name: "crm", Secret: crmToken},
	}}
	for _, f := range edit {
		f(&c)
	}
	e.srv = httptest.NewServer(tickets.NewAPI(c))
	t.Cleanup(e.srv.Close)
	return e
}

// response is what the API answered.
type response struct {
	status int
	header http.Header
	body   []byte
}

// req is one request to the API.
type req struct {
	method string
	path   string
	token  string
	// body is sent as is when it is a string, encoded as JSON otherwise.
	body    any
	headers map[string]string
}

// do sends a request with the back-office token unless another is given,
// and checks the answer against the OpenAPI document.
func (e *apiEnv) do(t *testing.T, r req) response {
	t.Helper()
	res := e.send(t, r)
	e.spec.checkResponse(t, r.method, r.path, res)
	return res
}

// send sends a request without checking the answer.
func (e *apiEnv) send(t *testing.T, r req) response {
	t.Helper()
	hr, err := http.NewRequest(r.method, e.srv.URL+r.path, bodyReader(t, r.body))
	if err != nil {
		t.Fatalf("build request: %v", err)
	}
	if r.body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	switch r.token {
	case "":
		hr.Header.Set("Authorization", "Bearer "+backofficeToken)
	case "-":
	default:
		hr.Header.Set("Authorization", r.token)
	}
	for k, v := range r.headers {
		hr.Header.Set(k, v)
	}

	resp, err := e.srv.Client().Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s %s: %v", r.method, r.path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

func bodyReader(t *testing.T, body any) io.Reader {
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return strings.NewReader(b)
	}
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatalf("encode body: %v", err)
	}
	return bytes.NewReader(raw)
}

// want fails the test unless the answer has the status, and decodes its
// body into out when out is not nil.
func (e *apiEnv) want(t *testing.T, res response, status int, out any) {
	t.Helper()
	if res.status != status {
		t.Fatalf("status %d, want %d; body %s", res.status, status, res.body)
	}
	if out == nil {
		return
	}
	if err := json.Unmarshal(res.body, out); err != nil {
		t.Fatalf("decode %s: %v", res.body, err)
	}
}

// getOK reads a path that must answer 200 into out.
func (e *apiEnv) getOK(t *testing.T, path string, out any) {
	t.Helper()
	e.want(t, e.do(t, req{method: http.MethodGet, path: path}), http.StatusOK, out)
}

// wantError fails the test unless the answer is an error with the status
// and code, and returns its reason.
func (e *apiEnv) wantError(t *testing.T, res response, status int, code string) string {
	t.Helper()
	var body struct{ Error, Reason string }
	e.want(t, res, status, &body)
	if body.Error != code {
		t.Fatalf("error %q, want %q; reason %q", body.Error, code, body.Reason)
	}
	if body.Reason == "" {
		t.Fatalf("error %s has no reason", code)
	}
	return body.Reason
}

// open files a ticket through the service, as a channel would.
func (e *apiEnv) open(t *testing.T, d tickets.Draft) tickets.Ticket {
	t.Helper()
	if d.Kind == "" {
		d.Kind = tickets.KindRequest
	}
	tk, _, err := e.svc.Open(context.Background(), d)
	if err != nil {
		t.Fatalf("open ticket: %v", err)
	}
	return tk
}

// ticketOut is the part of a ticket's JSON the tests look at.
type ticketOut struct {
	ID          string            `json:"id"`
	Kind        string            `json:"kind"`
	Status      string            `json:"status"`
	Priority    int               `json:"priority"`
	Risk        string            `json:"risk"`
	Breached    bool              `json:"breached"`
	RespondedAt *time.Time        `json:"responded_at"`
	ResolvedAt  *time.Time        `json:"resolved_at"`
	CreatedAt   time.Time         `json:"created_at"`
	Source      string            `json:"source"`
	Phone       string            `json:"phone"`
	Details     map[string]string `json:"details"`
	OutageID    string            `json:"outage_id"`
	Assignee    string            `json:"assignee"`
	Resolution  string            `json:"resolution"`
	Version     int64             `json:"version"`
	History     []struct {
		Actor  string `json:"actor"`
		Action string `json:"action"`
		From   string `json:"from"`
		To     string `json:"to"`
		Note   string `json:"note"`
	} `json:"history"`
}

// outageOut is the part of an outage's JSON the tests look at.
type outageOut struct {
	ID          string     `json:"id"`
	Service     string     `json:"service"`
	Area        string     `json:"area"`
	Description string     `json:"description"`
	ExpectedFix time.Time  `json:"expected_fix"`
	Open        bool       `json:"open"`
	Note        string     `json:"note"`
	ClosedAt    *time.Time `json:"closed_at"`
}
