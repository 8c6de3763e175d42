package tickets_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"hotline/tickets"
)

// webhookNow is the gateway's clock in the webhook tests.
var webhookNow = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

type webhookEnv struct {
	svc     *tickets.Service
	handler http.Handler
	ticket  string
}

func newWebhookEnv(t *testing.T) *webhookEnv {
	t.Helper()
	svc := relayTestService(relayTestStore(t))
	h := tickets.NewCRMWebhook(svc, testCRMSecret, func() time.Time { return webhookNow }, nil)
	return &webhookEnv{svc: svc, handler: h, ticket: openTestTicket(t, svc)}
}

// post sends a body signed at the given time.
func (e *webhookEnv) post(body string, at time.Time) *httptest.ResponseRecorder {
	return e.serve(signedRequest(body, at))
}

func (e *webhookEnv) serve(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.handler.ServeHTTP(w, r)
	return w
}

func (e *webhookEnv) change(status, eventID string) string {
	return `{"ticket_id":"` + e.ticket + `","status":"` + status +
		`","assignee":"li.wei","note":"engineer booked","event_id":"` + eventID + `"}`
}

func TestCRMWebhook_AppliesAChangeOnce(t *testing.T) {
	env := newWebhookEnv(t)
	body := env.change("in_progress", "crm-evt-1")

	first := env.post(body, webhookNow)
	again := env.post(body, webhookNow.Add(time.Minute))

	if first.Code != http.StatusOK {
		t.Fatalf("status %d: %s", first.Code, first.Body)
	}
	var reply struct {
		TicketID string `json:"ticket_id"`
		Status   string `json:"status"`
		Version  int64  `json:"version"`
	}
	if err := json.Unmarshal(first.Body.Bytes(), &reply); err != nil {
		t.Fatal(err)
	}
	tk, err := env.svc.Get(context.Background(), env.ticket)
	if err != nil {
		t.Fatal(err)
	}
	if reply.TicketID != env.ticket || reply.Status != "in_progress" || reply.Version != tk.Version {
		t.Errorf("reply %+v, ticket at version %d", reply, tk.Version)
	}
	if tk.Status != tickets.StatusInProgress || tk.Assignee != "li.wei" {
		t.Errorf("ticket is %s, assigned to %q", tk.Status, tk.Assignee)
	}
	if again.Code != first.Code || again.Body.String() != first.Body.String() {
		t.Errorf("replay got %d %s, first got %d %s", again.Code, again.Body, first.Code, first.Body)
	}
	if n := crmChanges(tk); n != 2 {
		t.Errorf("%d history entries by the crm, want 2 (assigned, status)", n)
	}
}

func crmChanges(tk tickets.Ticket) int {
	n := 0
	for _, c := range tk.History {
		if c.Actor == "crm" {
			n++
		}
	}
	return n
}

func TestCRMWebhook_RefusesBadRequests(t *testing.T) {
	env := newWebhookEnv(t)
	good := env.change("in_progress", "crm-evt-2")
	cases := []struct {
		name    string
		request func() *httptest.ResponseRecorder
		status  int
		code    string
	}{
		{"bad signature", func() *httptest.ResponseRecorder {
			r := signedRequest(good, webhookNow)
			ts := r.Header.Get("X-Hotline-Timestamp")
			r.Header.Set("X-Hotline-Signature", hmacHex("another-secret", ts, []byte(good)))
			return env.serve(r)
		}, 401, "unauthorized"},
		{"missing signature", func() *httptest.ResponseRecorder {
			r := signedRequest(good, webhookNow)
			r.Header.Del("X-Hotline-Signature")
			return env.serve(r)
		}, 401, "unauthorized"},
		{"signature not hex", func() *httptest.ResponseRecorder {
			r := signedRequest(good, webhookNow)
			r.Header.Set("X-Hotline-Signature", "sha256=zz")
			return env.serve(r)
		}, 401, "unauthorized"},
		{"stale timestamp", func() *httptest.ResponseRecorder {
			return env.post(good, webhookNow.Add(-6*time.Minute))
		}, 401, "unauthorized"},
		{"timestamp from the future", func() *httptest.ResponseRecorder {
			return env.post(good, webhookNow.Add(6*time.Minute))
		}, 401, "unauthorized"},
		{"bad json", func() *httptest.ResponseRecorder {
			return env.post(`{"ticket_id": "TK1",`, webhookNow)
		}, 400, "bad_request"},
		{"wrong type", func() *httptest.ResponseRecorder {
			return env.post(`{"ticket_id": 7, "status": "closed", "event_id": "e"}`, webhookNow)
		}, 400, "bad_request"},
		{"no event id", func() *httptest.ResponseRecorder {
			return env.post(`{"ticket_id":"`+env.ticket+`","status":"in_progress"}`, webhookNow)
		}, 400, "bad_request"},
		{"nothing to change", func() *httptest.ResponseRecorder {
			return env.post(`{"ticket_id":"`+env.ticket+`","event_id":"e3"}`, webhookNow)
		}, 400, "bad_request"},
		{"unknown status", func() *httptest.ResponseRecorder {
			return env.post(env.change("sleeping", "crm-evt-4"), webhookNow)
		}, 400, "invalid"},
		{"resolved without a resolution", func() *httptest.ResponseRecorder {
			return env.post(env.change("resolved", "crm-evt-5"), webhookNow)
		}, 400, "invalid"},
		{"unknown ticket", func() *httptest.ResponseRecorder {
			body := `{"ticket_id":"TK20990101-999999","status":"in_progress","event_id":"e6"}`
			return env.post(body, webhookNow)
		}, 404, "not_found"},
		{"oversize body", func() *httptest.ResponseRecorder {
			return env.post(`{"note":"`+strings.Repeat("x", 64<<10)+`"}`, webhookNow)
		}, 413, "too_large"},
		{"wrong method", func() *httptest.ResponseRecorder {
			return env.serve(httptest.NewRequest(http.MethodGet, "/crm/webhook", nil))
		}, 405, "method_not_allowed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := c.request()
			checkProblem(t, w, c.status, c.code)
		})
	}
	if tk, _ := env.svc.Get(context.Background(), env.ticket); tk.Status != tickets.StatusNew {
		t.Errorf("a refused request changed the ticket to %s", tk.Status)
	}
}

func signedRequest(body string, at time.Time) *http.Request {
	ts := strconv.FormatInt(at.Unix(), 10)
	r := httptest.NewRequest(http.MethodPost, "/crm/webhook", strings.NewReader(body))
	r.Header.Set("X-Hotline-Timestamp", ts)
	r.Header.Set("X-Hotline-Signature", hmacHex(testCRMSecret, ts, []byte(body)))
	return r
}

// checkProblem checks an error answer: its status, code and a reason.
func checkProblem(t *testing.T, w *httptest.ResponseRecorder, status int, code string) string {
	t.Helper()
	var p struct{ Error, Reason string }
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("status %d, body not JSON: %s", w.Code, w.Body)
	}
	if w.Code != status || p.Error != code || p.Reason == "" {
		t.Fatalf("got %d %s, want %d with error %q and a reason", w.Code, w.Body, status, code)
	}
	return p.Reason
}

func TestCRMWebhook_RefusesAnInvalidTransition(t *testing.T) {
	env := newWebhookEnv(t)
	cancel := `{"ticket_id":"` + env.ticket + `","status":"cancelled","event_id":"crm-c1"}`
	if w := env.post(cancel, webhookNow); w.Code != http.StatusOK {
		t.Fatalf("cancel: %d %s", w.Code, w.Body)
	}

	w := env.post(env.change("in_progress", "crm-c2"), webhookNow)

	reason := checkProblem(t, w, http.StatusConflict, "invalid_transition")
	if !strings.Contains(reason, "cancelled") || !strings.Contains(reason, "cannot change status") {
		t.Errorf("reason %q does not say what is allowed", reason)
	}

	w = env.post(`{"ticket_id":"`+env.ticket+`","status":"reopened","event_id":"crm-c3"}`, webhookNow)
	if w.Code != http.StatusConflict {
		t.Fatalf("reopen a cancelled ticket: %d %s", w.Code, w.Body)
	}
}

func TestCRMWebhook_ExplainsAllowedMoves(t *testing.T) {
	env := newWebhookEnv(t)

	w := env.post(`{"ticket_id":"`+env.ticket+`","status":"reopened","event_id":"crm-m1"}`, webhookNow)

	reason := checkProblem(t, w, http.StatusConflict, "invalid_transition")
	if !strings.Contains(reason, "allowed: assigned, in_progress, resolved, cancelled") {
		t.Errorf("reason %q does not list the allowed moves", reason)
	}
}

func TestCRMWebhook_RefusesAReusedEventID(t *testing.T) {
	env := newWebhookEnv(t)
	if w := env.post(env.change("in_progress", "crm-r1"), webhookNow); w.Code != http.StatusOK {
		t.Fatalf("first: %d %s", w.Code, w.Body)
	}

	w := env.post(env.change("assigned", "crm-r1"), webhookNow)

	checkProblem(t, w, http.StatusConflict, "event_id_reused")
}

func TestCRMWebhook_NeverPanics(t *testing.T) {
	env := newWebhookEnv(t)
	bodies := []string{"", "null", "[]", "{", "0", `"x"`, `{"ticket_id":{}}`,
		`{"ticket_id":"` + env.ticket + `","status":null,"event_id":"p1","note":"n"}`,
		`{"ticket_id":"` + env.ticket + `","status":"","event_id":"p2"}`,
		`{"ticket_id":"` + strings.Repeat("9", 500) + `","status":"closed","event_id":"p3"}`,
		"\xff\xfe{}", `{"ticket_id":"a","event_id":"b","status":"closed"} trailing`,
		strings.Repeat("[", 10000),
	}
	for _, b := range bodies {
		if w := env.post(b, webhookNow); w.Code >= 500 {
			t.Errorf("body %.40q: %d %s", b, w.Code, w.Body)
		}
	}
	r := signedRequest("{}", webhookNow)
	r.Header.Set("X-Hotline-Timestamp", "99999999999999999999")
	checkProblem(t, env.serve(r), http.StatusUnauthorized, "unauthorized")
}

func TestCRMWebhook_EmptySecretRefusesAll(t *testing.T) {
	env := newWebhookEnv(t)
	h := tickets.NewCRMWebhook(env.svc, "", nil, nil)
	body := env.change("in_progress", "crm-s1")
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	r := httptest.NewRequest(http.MethodPost, "/crm/webhook", strings.NewReader(body))
	r.Header.Set("X-Hotline-Timestamp", ts)
	r.Header.Set("X-Hotline-Signature", hmacHex("", ts, []byte(body)))
	w := httptest.NewRecorder()

	h.ServeHTTP(w, r)

	checkProblem(t, w, http.StatusUnauthorized, "unauthorized")
}
