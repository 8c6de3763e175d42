package tickets_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"hotline/store/sqldb"
	"hotline/store/sqldb/sqldbtest"
	"hotline/tickets"
)

// fuzzRoutes are the API's endpoints as the fuzz target picks them; {id}
// is replaced by the fuzzed id, or by a ticket or outage that exists.
var fuzzRoutes = []struct{ method, path string }{
	{http.MethodPost, "/api/v1/tickets"},
	{http.MethodPatch, "/api/v1/tickets/{id}"},
	{http.MethodGet, "/api/v1/tickets/{id}"},
	{http.MethodGet, "/api/v1/tickets"},
	{http.MethodPost, "/api/v1/outages"},
	{http.MethodPatch, "/api/v1/outages/{id}"},
	{http.MethodPost, "/api/v1/outages/{id}/close"},
	{http.MethodPut, "/api/v1/tickets/{id}"},
}

// fuzzAPI is the API over a SQLite store, called through a recorder.
type fuzzAPI struct {
	h      http.Handler
	ticket string
	outage string
}

func newFuzzAPI(f testing.TB) *fuzzAPI {
	return newFuzzAPIOn(f, sqldb.Options{DataDir: f.TempDir(), Synchronous: "normal"})
}

// newFuzzAPIOn is newFuzzAPI on the database o opens.
func newFuzzAPIOn(f testing.TB, o sqldb.Options) *fuzzAPI {
	db, err := sqldb.Open(context.Background(), o)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = db.Close() })
	policy := tickets.DefaultPolicy()
	policy.Location = cst
	clock := &testClock{now: time.Date(2026, 12, 3, 9, 0, 0, 0, cst)}
	svc := tickets.NewService(tickets.Config{Store: sqldb.NewTickets(db), Policy: policy,
		Now: clock.Now, Log: slog.New(slog.DiscardHandler), CRM: true})
	tk, _, err := svc.Open(context.Background(), tickets.Draft{Kind: tickets.KindFault, Category: "broadband",
		Source: "api", Actor: "api", Phone: "13800138000", Summary: "no signal"})
	if err != nil {
		f.Fatal(err)
	}
	h := tickets.NewAPI(tickets.APIConfig{Service: svc, MaxBody: 8 << 10,
		Tokens: []tickets.Token{{Name: "backoffice", Secret: backofficeToken}}})
	a := &fuzzAPI{h: h, ticket: tk.ID}
	w := a.call(http.MethodPost, "/api/v1/outages", `{"service":"broadband","area":"朝阳","description":"fibre cut","expected_fix":"2026-12-03T18:00:00+08:00"}`, "")
	var outage struct{ ID string }
	if err := json.Unmarshal(w.Body.Bytes(), &outage); err != nil || w.Code != http.StatusCreated {
		f.Fatalf("declare outage: %d %s", w.Code, w.Body)
	}
	a.outage = outage.ID
	return a
}

func (a *fuzzAPI) call(method, path, body, idem string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "http://gateway"+path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+backofficeToken)
	r.Header.Set("Content-Type", "application/json")
	if idem != "" {
		r.Header.Set("Idempotency-Key", idem)
	}
	w := httptest.NewRecorder()
	a.h.ServeHTTP(w, r)
	return w
}

// FuzzAPIBody sends fuzzed JSON bodies (and ids and idempotency keys) to
// each endpoint with a valid token. The answer is never a 5xx; an error
// is JSON with a code and a reason; a success is JSON; a created ticket
// reads back with the kind, phone and summary it was created with.
func FuzzAPIBody(f *testing.F) {
	a := newFuzzAPI(f)
	bodies := []string{
		`{"kind":"complaint","category":"billing","phone":"13600000000","summary":"charged twice"}`,
		`{"kind":"fault","category":"broadband","phone":"+86 138-0013-8000","service":"broadband","area":"朝阳","priority":2,"details":{"since":"today"}}`,
		`{"kind":"fault","details":{"a":"b"},"priority":1e309}`,
		`{"kind":"request","summary":"\u0000\ud800","phone":"\u0000"}`,
		`{"status":"assigned","assignee":"li.wei"}`,
		`{"status":null,"note":"\u0000"}`,
		`{"status":"resolved","resolution":"` + strings.Repeat("好", 3000) + `"}`,
		`{"service":"tv","expected_fix":"9999-99-99T99:99:99Z"}`,
		`{"service":"broadband","area":"海淀","description":"x","expected_fix":"2026-12-03T12:00:00+08:00"}`,
		`{"expected_fix":""}`,
		`{"note":{}}`,
		`{"kind":"fault"} {"kind":"fault"}`,
		`{"kind":"fault","kind":"complaint","KIND":"request"}`,
		strings.Repeat(`{"details":`, 500) + `{}` + strings.Repeat(`}`, 500),
		"{\"kind\":\"fault\",\"summary\":\"\xff\xfe\"}",
		`{"priority":-9223372036854775808}`,
		``,
		`[]`,
		`null`,
	}
	for i, b := range bodies {
		f.Add(uint8(i%len(fuzzRoutes)), "", b, "")
		f.Add(uint8(0), "", b, "k-"+strconv.Itoa(i))
	}
	f.Add(uint8(1), "%00", `{"status":"assigned"}`, "")
	f.Add(uint8(2), "../outages", ``, "")
	f.Add(uint8(3), "?limit=-1&cursor=%ff&status=open,,closed", ``, "")

	f.Fuzz(func(t *testing.T, pick uint8, id, body, idem string) {
		rt := fuzzRoutes[int(pick)%len(fuzzRoutes)]
		path := rt.path
		if strings.Contains(path, "{id}") {
			switch {
			case id != "":
			case strings.Contains(path, "outages"):
				id = a.outage
			default:
				id = a.ticket
			}
			path = strings.Replace(path, "{id}", id, 1)
		} else {
			path += id
		}
		if !validTarget(path) || strings.ContainsAny(idem, "\r\n\x00") {
			t.Skip("not a request a client could send")
		}
		stop := time.AfterFunc(5*time.Second, func() { panic("an API request took over 5s") })
		defer stop.Stop()

		w := a.call(rt.method, path, body, idem)
		checkAPIAnswer(t, rt.method+" "+path, w)
		if w.Code < 300 && ((rt.method != http.MethodGet && jsonHoldsNUL(body)) || targetHoldsNUL(path)) {
			t.Fatalf("%s %s: %d for a NUL, which PostgreSQL refuses", rt.method, path, w.Code)
		}
		if rt.method == http.MethodPost && rt.path == "/api/v1/tickets" && w.Code == http.StatusCreated {
			var made struct{ ID, Kind, Phone, Summary string }
			_ = json.Unmarshal(w.Body.Bytes(), &made)
			back := a.call(http.MethodGet, "/api/v1/tickets/"+made.ID, "", "")
			var read struct{ ID, Kind, Phone, Summary string }
			if back.Code != http.StatusOK || json.Unmarshal(back.Body.Bytes(), &read) != nil || read != made {
				t.Fatalf("created %+v, read back %d %+v", made, back.Code, read)
			}
		}
	})
}

// FuzzCRMWebhook posts fuzzed changes to the CRM webhook, signed now with
// the shared secret. The answer is never a 5xx or a 401; an error is JSON
// with a code and a reason; an applied change names its ticket.
func FuzzCRMWebhook(f *testing.F) {
	store := fuzzStore(f)
	svc := relayTestService(store)
	tk, _, err := svc.Open(context.Background(), tickets.Draft{Kind: tickets.KindRequest, Category: "billing",
		Source: "api", Actor: "api", Phone: "13800138000", Summary: "wrong charge"})
	if err != nil {
		f.Fatal(err)
	}
	h := tickets.NewCRMWebhook(svc, testCRMSecret, func() time.Time { return webhookNow }, nil)
	for _, b := range []string{
		`{"ticket_id":"` + tk.ID + `","status":"in_progress","assignee":"li.wei","note":"engineer booked","event_id":"crm-evt-1"}`,
		`{"ticket_id":"` + tk.ID + `","status":"resolved","resolution":"refunded","event_id":"crm-evt-2"}`,
		`{"ticket_id":"` + tk.ID + `","status":"","note":"\u0000","event_id":"e3"}`,
		`{"ticket_id":"` + tk.ID + `","status":"closed","event_id":"` + strings.Repeat("e", 129) + `"}`,
		`{"ticket_id":"TK-nope","status":"assigned","event_id":"e4"}`,
		`{"ticket_id":1,"event_id":[]}`,
		`{"ticket_id":"` + tk.ID + `","note":"` + strings.Repeat("长", 20000) + `","event_id":"e5"}`,
		"{\"ticket_id\":\"" + tk.ID + "\",\"note\":\"\xff\",\"event_id\":\"e6\"}",
		`[`,
		``,
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body string) {
		stop := time.AfterFunc(5*time.Second, func() { panic("a CRM webhook request took over 5s") })
		defer stop.Stop()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, signedRequest(body, webhookNow))
		checkAPIAnswer(t, "crm webhook", w)
		if w.Code < 300 && jsonHoldsNUL(body) {
			t.Fatalf("%d for a NUL, which PostgreSQL refuses", w.Code)
		}
		if w.Code == http.StatusUnauthorized {
			t.Fatalf("a signed request was refused: %s", w.Body)
		}
		if w.Code == http.StatusOK {
			var sent, got struct {
				TicketID string `json:"ticket_id"`
			}
			_ = json.Unmarshal([]byte(body), &sent)
			if json.Unmarshal(w.Body.Bytes(), &got) != nil || got.TicketID != sent.TicketID {
				t.Fatalf("applied to %q, asked for %q", got.TicketID, sent.TicketID)
			}
		}
	})
}

// fuzzStore is a SQLite tickets store for one fuzz target.
func fuzzStore(f *testing.F) tickets.Store {
	db, err := sqldb.Open(context.Background(), sqldb.Options{DataDir: f.TempDir(), Synchronous: "normal"})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = db.Close() })
	return sqldb.NewTickets(db)
}

// checkAPIAnswer checks an answer: no 5xx, an error is JSON with a code
// and a reason, a success body is JSON, a redirect says where to.
func checkAPIAnswer(t *testing.T, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("%s: %d %s", what, w.Code, w.Body)
	}
	if w.Code >= 300 && w.Code < 400 {
		// The mux's redirect to the cleaned path of "..", "//" and the like.
		if w.Header().Get("Location") == "" {
			t.Fatalf("%s: %d without a Location", what, w.Code)
		}
		return
	}
	if w.Code >= 400 {
		var p struct{ Error, Reason string }
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Error == "" || p.Reason == "" {
			t.Fatalf("%s: %d answered %q, not an error with a reason", what, w.Code, w.Body)
		}
		return
	}
	if w.Body.Len() > 0 && !json.Valid(w.Body.Bytes()) {
		t.Fatalf("%s: %d answered a body that is not JSON: %q", what, w.Code, w.Body)
	}
}

// validTarget reports whether path can be the target of a request line:
// no white space or control characters, and a URL that stays on the host.
func validTarget(path string) bool {
	if strings.IndexFunc(path, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return false
	}
	r, err := http.NewRequest(http.MethodGet, "http://gateway"+path, nil)
	return err == nil && r.URL.Host == "gateway"
}

// targetHoldsNUL reports whether a request target's path, or a query
// parameter as the API reads them, holds a NUL.
func targetHoldsNUL(target string) bool {
	u, err := url.Parse("http://gateway" + target)
	if err != nil {
		return false
	}
	if strings.IndexByte(u.Path, 0) >= 0 {
		return true
	}
	for k, vs := range u.Query() {
		if strings.IndexByte(k, 0) >= 0 || strings.IndexByte(strings.Join(vs, ""), 0) >= 0 {
			return true
		}
	}
	return false
}

// jsonHoldsNUL reports whether a JSON text decodes to a string with a NUL
// anywhere, as a key or a value.
func jsonHoldsNUL(body string) bool {
	var v any
	if json.Unmarshal([]byte(body), &v) != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch x := v.(type) {
		case string:
			return strings.IndexByte(x, 0) >= 0
		case []any:
			for _, e := range x {
				if walk(e) {
					return true
				}
			}
		case map[string]any:
			for k, e := range x {
				if strings.IndexByte(k, 0) >= 0 || walk(e) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}

// nulRequests are requests with a NUL in a body, an id or a filter.
func nulRequests(a *fuzzAPI) [][3]string {
	return [][3]string{
		{http.MethodPost, "/api/v1/tickets", `{"kind":"complaint","category":"billing","phone":"13600000000","summary":"a\u0000b"}`},
		{http.MethodPost, "/api/v1/tickets", `{"kind":"complaint","category":"billing","phone":"13600000000","details":{"k\u0000":"v"}}`},
		{http.MethodPatch, "/api/v1/tickets/" + a.ticket, `{"note":"\u0000"}`},
		{http.MethodGet, "/api/v1/tickets/%00", ``},
		{http.MethodGet, "/api/v1/tickets?phone=%00", ``},
		{http.MethodPatch, "/api/v1/tickets/TK%00x", `{"status":"assigned"}`},
		{http.MethodGet, "/api/v1/outages/%00", ``},
		{http.MethodPost, "/api/v1/outages/%00/close", `{"note":"x"}`},
		{http.MethodPost, "/api/v1/outages", `{"service":"broadband","area":"\u0000","description":"x","expected_fix":"2026-12-03T18:00:00+08:00"}`},
	}
}

// A NUL in a body, an id or a filter is refused with 400: PostgreSQL
// cannot keep or look up text with one, and answered 500.
func TestAPI_NULIsRefused(t *testing.T) {
	check := func(t *testing.T, a *fuzzAPI) {
		for _, c := range nulRequests(a) {
			w := a.call(c[0], c[1], c[2], "")
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "NUL") {
				t.Errorf("%s %s %s: %d %s", c[0], c[1], c[2], w.Code, w.Body)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) { check(t, newFuzzAPI(t)) })
	t.Run("postgres", func(t *testing.T) { check(t, newFuzzAPIOn(t, sqldb.Options{DSN: sqldbtest.Schema(t)})) })
}

// The CRM webhook refuses a change with a NUL as a bad request; on
// PostgreSQL it failed as a server error, which the CRM sends again.
func TestCRMWebhook_NULIsRefused(t *testing.T) {
	env := newWebhookEnv(t)
	w := env.post(`{"ticket_id":"`+env.ticket+`","note":"a\u0000b","event_id":"e-nul"}`, webhookNow)
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "NUL") {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
}
