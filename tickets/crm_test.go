package tickets_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hotline/tickets"
)

// The signature vector docs/crm.md shows the CRM's developers.
const (
	vectorSecret    = "whsec_5b8f0c2e9a"
	vectorTimestamp = "1767225600"
	vectorBody      = `{"type":"ticket.status","seq":42,"idempotency_key":"TK20260101-000001/42"}`
	vectorSignature = "sha256=a6a727a0aeccad87fe7f94ff805dce9115fb7dfc8be1584a34dae47028c0f411"
)

// hmacHex signs as the CRM would, without the package's code.
func hmacHex(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func TestSignCRM_MatchesVector(t *testing.T) {
	got := tickets.SignCRM([]byte(vectorSecret), vectorTimestamp, []byte(vectorBody))
	if want := hmacHex(vectorSecret, vectorTimestamp, []byte(vectorBody)); got != want {
		t.Fatalf("SignCRM = %s, crypto/hmac gives %s", got, want)
	}
	if got != vectorSignature {
		t.Fatalf("SignCRM = %s, the documented vector is %s", got, vectorSignature)
	}
}

func TestNewCRM_RefusesBadConfig(t *testing.T) {
	cases := map[string]tickets.CRMConfig{
		"no url":         {Secret: "s"},
		"relative url":   {URL: "/events", Secret: "s"},
		"ftp url":        {URL: "ftp://crm.example/events", Secret: "s"},
		"no secret":      {URL: "https://crm.example/events"},
		"unparseable":    {URL: "https://crm.example/%zz", Secret: "s"},
		"no host at all": {URL: "https://", Secret: "s"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := tickets.NewCRM(c); err == nil {
				t.Fatal("NewCRM accepted a bad config")
			}
		})
	}
}

// sampleEvent is a status event of a ticket with personal data.
func sampleEvent() tickets.Event {
	at := time.Date(2026, 12, 3, 10, 15, 0, 0, time.FixedZone("CST", 8*3600))
	return tickets.Event{
		Seq: 42, Type: tickets.EventStatus, At: at,
		Ticket: tickets.Ticket{
			ID: "TK20261203-000123", Kind: tickets.KindFault, Category: "broadband_down",
			Status: tickets.StatusInProgress, Priority: tickets.PriorityNormal,
			Phone: "13800138000", Details: map[string]string{"address": "Room 5, No. 8 Road"},
			Service: "broadband", Area: "haidian", CreatedAt: at.Add(-time.Hour), UpdatedAt: at,
			RespondBy: at.Add(23 * time.Hour), ResolveBy: at.Add(71 * time.Hour), Version: 3,
		},
		Change: tickets.Change{At: at, Actor: "crm", Action: tickets.ActionStatus,
			From: "assigned", To: "in_progress", Note: "engineer on the way"},
	}
}

func TestCRM_SendsSignedEvent(t *testing.T) {
	var got *http.Request
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		body, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	now := time.Unix(1767225600, 0)
	crm := newTestCRM(t, tickets.CRMConfig{URL: srv.URL + "/hotline/events",
		Now: func() time.Time { return now }})

	if err := crm.Handle(context.Background(), sampleEvent()); err != nil {
		t.Fatalf("Handle: %v", err)
	}

	wantHeaders := map[string]string{
		"Content-Type":        "application/json",
		"Idempotency-Key":     "TK20261203-000123/42",
		"X-Hotline-Event":     "ticket.status",
		"X-Hotline-Timestamp": "1767225600",
		"X-Hotline-Signature": hmacHex(testCRMSecret, "1767225600", body),
	}
	for k, v := range wantHeaders {
		if g := got.Header.Get(k); g != v {
			t.Errorf("header %s = %q, want %q", k, g, v)
		}
	}
	if !strings.HasPrefix(got.UserAgent(), "hotline") || got.Method != http.MethodPost {
		t.Errorf("request %s with User-Agent %q", got.Method, got.UserAgent())
	}
	checkEventJSON(t, body)
}

// checkEventJSON checks the documented shape of the sample event's body.
func checkEventJSON(t *testing.T, body []byte) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body is not JSON: %v", err)
	}
	ticket, _ := m["ticket"].(map[string]any)
	change, _ := m["change"].(map[string]any)
	want := []struct {
		got  any
		want any
	}{
		{m["type"], "ticket.status"}, {m["seq"], 42.0},
		{m["idempotency_key"], "TK20261203-000123/42"},
		{m["occurred_at"], "2026-12-03T10:15:00+08:00"},
		{ticket["id"], "TK20261203-000123"}, {ticket["status"], "in_progress"},
		{ticket["phone"], "13800138000"}, {ticket["priority"], 2.0},
		{ticket["resolved_at"], nil}, {ticket["outage_id"], ""},
		{change["actor"], "crm"}, {change["from"], "assigned"}, {change["to"], "in_progress"},
		{change["note"], "engineer on the way"},
	}
	for i, w := range want {
		if w.got != w.want {
			t.Errorf("field %d = %v, want %v", i, w.got, w.want)
		}
	}
	if _, ok := m["outage"]; ok {
		t.Error("a status event carries an outage")
	}
}

func TestCRM_ClassifiesAnswers(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		header    string
		body      int
		attempts  int32
		wantErr   bool
		permanent bool
		delay     time.Duration
	}{
		{name: "ok", status: 200, attempts: 1},
		{name: "no content", status: 204, attempts: 1},
		{name: "a long answer is still a success", status: 200, body: 100 << 10, attempts: 1},
		{name: "a long server error is retried", status: 500, body: 100 << 10, attempts: 3,
			wantErr: true},
		{name: "bad request is permanent", status: 400, attempts: 1, wantErr: true, permanent: true},
		{name: "unauthorized is permanent", status: 401, attempts: 1, wantErr: true, permanent: true},
		{name: "redirect is not followed", status: 302, header: "/elsewhere", attempts: 1,
			wantErr: true, permanent: true},
		{name: "server error is retried", status: 503, attempts: 3, wantErr: true},
		{name: "request timeout is retried", status: 408, attempts: 3, wantErr: true},
		{name: "long retry-after goes to the relay", status: 429, header: "3600", attempts: 1,
			wantErr: true, delay: time.Hour},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				w.Header().Set("Retry-After", c.header)
				w.Header().Set("Location", c.header)
				w.WriteHeader(c.status)
				_, _ = w.Write([]byte(strings.Repeat("x", c.body)))
			}))
			defer srv.Close()
			crm := newTestCRM(t, tickets.CRMConfig{URL: srv.URL, Retries: 2})

			err := crm.Handle(context.Background(), sampleEvent())

			if (err != nil) != c.wantErr || tickets.IsPermanent(err) != c.permanent {
				t.Fatalf("err = %v, want error %v, permanent %v", err, c.wantErr, c.permanent)
			}
			if got := tickets.RetryDelay(err); got != c.delay {
				t.Errorf("retry delay %s, want %s", got, c.delay)
			}
			if n.Load() != c.attempts {
				t.Errorf("%d attempts, want %d", n.Load(), c.attempts)
			}
		})
	}
}

func TestCRM_HonoursShortRetryAfter(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	crm := newTestCRM(t, tickets.CRMConfig{URL: srv.URL, RetryMaxWait: 2 * time.Second})

	if err := crm.Handle(context.Background(), sampleEvent()); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	if n.Load() != 2 {
		t.Fatalf("%d attempts, want 2", n.Load())
	}
}

func TestCRM_ErrorsHideURLSecretAndBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dropConnection(w)
	}))
	defer srv.Close()
	crm := newTestCRM(t, tickets.CRMConfig{URL: srv.URL + "/events?token=query-secret"})

	err := crm.Handle(context.Background(), sampleEvent())

	if err == nil {
		t.Fatal("a dropped connection was a success")
	}
	for _, leak := range []string{"query-secret", testCRMSecret, "13800138000", "Room 5", srv.URL} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("error %q contains %q", err, leak)
		}
	}
	if tickets.IsPermanent(err) {
		t.Error("a dropped connection is permanent")
	}
}

const testCRMSecret = "crm-test-secret-9f2c"

// newTestCRM builds a forwarder with short waits and the test secret.
func newTestCRM(t *testing.T, c tickets.CRMConfig) *tickets.CRM {
	t.Helper()
	c.Secret = testCRMSecret
	if c.RetryWait == 0 {
		c.RetryWait = time.Millisecond
	}
	if c.RetryMaxWait == 0 {
		c.RetryMaxWait = 5 * time.Millisecond
	}
	if c.Timeout == 0 {
		c.Timeout = 2 * time.Second
	}
	crm, err := tickets.NewCRM(c)
	if err != nil {
		t.Fatal(err)
	}
	return crm
}

// dropConnection closes the connection without an answer.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

// fakeCRM is a CRM endpoint that can be made to fail. It checks every
// signature, answers 2xx once per idempotency key and counts repeats.
type fakeCRM struct {
	mu        sync.Mutex
	failing   bool
	failures  int
	requests  int
	badSigs   int
	accepted  map[string]int
	order     []tickets.CRMEvent
	hangUntil time.Duration
}

func newFakeCRM() *fakeCRM {
	return &fakeCRM{accepted: map[string]int{}, hangUntil: 500 * time.Millisecond}
}

func (f *fakeCRM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests++
	sigOK := r.Header.Get("X-Hotline-Signature") ==
		hmacHex(testCRMSecret, r.Header.Get("X-Hotline-Timestamp"), body)
	if !sigOK {
		f.badSigs++
	}
	if f.failing {
		f.failures++
		n := f.failures
		f.mu.Unlock()
		f.fail(w, r, n)
		return
	}
	defer f.mu.Unlock()
	f.accept(w, r, body)
}

// fail cycles through a 500, a request that outlasts the client's timeout,
// and a dropped connection.
func (f *fakeCRM) fail(w http.ResponseWriter, r *http.Request, n int) {
	switch n % 3 {
	case 1:
		w.WriteHeader(http.StatusInternalServerError)
	case 2:
		select {
		case <-r.Context().Done():
		case <-time.After(f.hangUntil):
		}
		w.WriteHeader(http.StatusGatewayTimeout)
	default:
		dropConnection(w)
	}
}

// accept records the first delivery of a key, and answers repeats as the
// first time, as a CRM deduplicating by idempotency key does.
func (f *fakeCRM) accept(w http.ResponseWriter, r *http.Request, body []byte) {
	key := r.Header.Get("Idempotency-Key")
	f.accepted[key]++
	if f.accepted[key] == 1 {
		var e tickets.CRMEvent
		if err := json.Unmarshal(body, &e); err != nil || e.IdempotencyKey != key {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		f.order = append(f.order, e)
	}
	w.WriteHeader(http.StatusOK)
}

func (f *fakeCRM) setFailing(v bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failing = v
}

func (f *fakeCRM) failureCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failures
}

func (f *fakeCRM) acceptedCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.order)
}

func TestCRM_RelayRecoversFromOutage(t *testing.T) {
	store := relayTestStore(t)
	svc := relayTestService(store)
	fake := newFakeCRM()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	var logs syncBuffer
	relayConfig := func() tickets.RelayConfig {
		crm := newTestCRM(t, tickets.CRMConfig{URL: srv.URL, Timeout: 100 * time.Millisecond, Retries: 1})
		c := fastRelay(store, crm.Handle)
		c.Log = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		return c
	}

	// Healthy: the first events go through.
	ids := []string{openTestTicket(t, svc), openTestTicket(t, svc)}
	relay, stop := startRelay(t, relayConfig())
	waitFor(t, "the first two events", func() bool { return fake.acceptedCount() == 2 })

	// Down: 500s, timeouts and dropped connections; the relay is stopped
	// in the middle of it and more events come in meanwhile.
	fake.setFailing(true)
	progressTestTicket(t, svc, ids[0])
	ids = append(ids, openTestTicket(t, svc))
	relay.Kick()
	waitFor(t, "failures before the restart", func() bool { return fake.failureCount() >= 7 })
	stop()
	progressTestTicket(t, svc, ids[1])
	progressTestTicket(t, svc, ids[2])

	// A new relay on the same store keeps failing, then the CRM recovers.
	relay, _ = startRelay(t, relayConfig())
	waitFor(t, "failures after the restart", func() bool { return fake.failureCount() >= 11 })
	fake.setFailing(false)
	relay.Kick()
	waitFor(t, "every event handled", func() bool {
		return len(pendingSeqs(t, store, tickets.ConsumerCRM)) == 0
	})

	checkDelivered(t, fake, ids)
	checkLogsClean(t, logs.String())
}

// checkDelivered checks that every event of the tickets arrived once, in
// seq order, with a valid signature.
func checkDelivered(t *testing.T, fake *fakeCRM, ids []string) {
	t.Helper()
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if fake.badSigs != 0 {
		t.Errorf("%d requests had a bad signature", fake.badSigs)
	}
	for key, n := range fake.accepted {
		if n != 1 {
			t.Errorf("event %s was accepted %d times", key, n)
		}
	}
	if len(fake.order) != 3*len(ids) {
		t.Fatalf("%d events arrived, want %d", len(fake.order), 3*len(ids))
	}

	perTicket := map[string][]string{}
	for i, e := range fake.order {
		if i > 0 && e.Seq <= fake.order[i-1].Seq {
			t.Errorf("event %d arrived after event %d", e.Seq, fake.order[i-1].Seq)
		}
		perTicket[e.Ticket.ID] = append(perTicket[e.Ticket.ID], string(e.Type)+":"+e.Change.To)
	}
	want := []string{"ticket.created:new", "ticket.status:in_progress", "ticket.status:resolved"}
	for _, id := range ids {
		if got := perTicket[id]; strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("ticket %s got %v, want %v", id, got, want)
		}
	}
}

// checkLogsClean checks that failures were logged without personal data
// or the secret.
func checkLogsClean(t *testing.T, logs string) {
	t.Helper()
	if !strings.Contains(logs, `"level":"WARN"`) {
		t.Errorf("the outage was not logged: %s", logs)
	}
	for _, leak := range []string{"13800138000", "Room 5", "wrong charge", testCRMSecret} {
		if strings.Contains(logs, leak) {
			t.Errorf("logs contain %q", leak)
		}
	}
}
