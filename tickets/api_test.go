package tickets_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"hotline/tickets"
)

func TestAPI_RequestLimits(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t, func(c *tickets.APIConfig) { c.MaxBody = 1024 })
	tk := e.open(t, tickets.Draft{})
	path := "/api/v1/tickets/" + tk.ID

	t.Run("body_over_bound_is_413", func(t *testing.T) {
		big := map[string]any{"note": strings.Repeat("n", 2048)}
		e.wantError(t, e.do(t, req{method: http.MethodPatch, path: path, body: big}),
			http.StatusRequestEntityTooLarge, "body_too_large")
		e.wantError(t, e.do(t, req{method: http.MethodPost, path: "/api/v1/tickets",
			body: map[string]any{"kind": "request", "summary": strings.Repeat("s", 2048)}}),
			http.StatusRequestEntityTooLarge, "body_too_large")
	})

	t.Run("wrong_content_type_is_415", func(t *testing.T) {
		for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "", "json"} {
			res := e.do(t, req{method: http.MethodPatch, path: path, body: `{"note":"x"}`,
				headers: map[string]string{"Content-Type": ct}})
			e.wantError(t, res, http.StatusUnsupportedMediaType, "unsupported_media_type")
		}
	})

	t.Run("json_with_charset_is_accepted", func(t *testing.T) {
		res := e.do(t, req{method: http.MethodPatch, path: path, body: `{"note":"x"}`,
			headers: map[string]string{"Content-Type": "application/json; charset=utf-8"}})
		e.want(t, res, http.StatusOK, nil)
	})

	t.Run("wrong_method_is_405_with_allow", func(t *testing.T) {
		cases := []struct{ method, path, allow string }{
			{http.MethodDelete, path, "GET, PATCH"},
			{http.MethodPut, "/api/v1/tickets", "GET, POST"},
			{http.MethodGet, "/api/v1/outages/OG1/close", "POST"},
			{http.MethodPost, "/api/v1/openapi.yaml", "GET"},
		}
		for _, c := range cases {
			res := e.do(t, req{method: c.method, path: c.path})
			e.wantError(t, res, http.StatusMethodNotAllowed, "method_not_allowed")
			if got := res.header.Get("Allow"); got != c.allow {
				t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, got, c.allow)
			}
		}
	})

	t.Run("unknown_path_is_404", func(t *testing.T) {
		for _, p := range []string{"/api/v1/ticket", "/api/v1/tickets/a/b", "/api/v2/tickets", "/"} {
			res := e.do(t, req{method: http.MethodGet, path: p})
			e.wantError(t, res, http.StatusNotFound, "unknown_path")
		}
	})

	t.Run("close_body_is_optional", func(t *testing.T) {
		var og struct{ ID string }
		e.want(t, e.do(t, req{method: http.MethodPost, path: "/api/v1/outages",
			body: map[string]any{"service": "tv", "expected_fix": "2026-12-04T08:00:00+08:00"}}),
			http.StatusCreated, &og)
		e.want(t, e.do(t, req{method: http.MethodPost, path: "/api/v1/outages/" + og.ID + "/close"}),
			http.StatusOK, nil)
	})
}

// TestAPI_RecoversFromPanic builds the API without a service, so the first
// handler that uses it panics.
func TestAPI_RecoversFromPanic(t *testing.T) {
	t.Parallel()
	var logs lockedBuffer
	h := tickets.NewAPI(tickets.APIConfig{
		Tokens: []tickets.Token{{Name: "bo", Secret: backofficeToken}},
		Log:    slog.New(slog.NewJSONHandler(&logs, nil)),
	})
	r := httptest.NewRequest(http.MethodGet, "/api/v1/tickets/TK1", nil)
	r.Header.Set("Authorization", "Bearer "+backofficeToken)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)

	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d", w.Code)
	}
	want := `{"error":"internal","reason":"internal error"}`
	if body := strings.TrimSpace(w.Body.String()); body != want {
		t.Errorf("body %s", body)
	}
	if !strings.Contains(logs.String(), "panicked") || strings.Contains(logs.String(), "nil pointer") {
		t.Errorf("logs %s", logs.String())
	}
}

// TestAPI_LogsCarryNoPersonalData runs requests full of personal data and
// secrets with debug logging on, and looks for any of it in the logs.
func TestAPI_LogsCarryNoPersonalData(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	secrets := []string{backofficeToken, crmToken, "13512345678", "No. 8 Garden Road",
		"router keeps rebooting", "called the subscriber back"}

	var tk ticketOut
	e.want(t, e.do(t, req{method: http.MethodPost, path: "/api/v1/tickets", body: map[string]any{
		"kind": "fault", "phone": secrets[2], "details": map[string]string{"address": secrets[3]},
		"summary": secrets[4], "external_id": "X-1"}}), http.StatusCreated, &tk)
	e.want(t, e.do(t, req{method: http.MethodPatch, path: "/api/v1/tickets/" + tk.ID,
		body: map[string]any{"note": secrets[5]}}), http.StatusOK, nil)
	wrong := "Bearer " + backofficeToken + "0"
	e.do(t, req{method: http.MethodGet, path: "/api/v1/tickets", token: wrong})
	e.do(t, req{method: http.MethodGet, path: "/api/v1/tickets?phone=" + secrets[2]})

	logs := e.logs.String()
	if !strings.Contains(logs, tk.ID) {
		t.Errorf("logs do not mention the ticket id: %s", logs)
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("logs carry %q", s)
		}
	}
}

func TestToken_HidesSecret(t *testing.T) {
	t.Parallel()
	tok := tickets.Token{Name: "crm", Secret: crmToken}
	var logs lockedBuffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("token", "token", tok)
	shown := []string{fmt.Sprint(tok), fmt.Sprintf("%+v", tok), fmt.Sprintf("%#v", tok), logs.String()}
	for _, s := range shown {
		if strings.Contains(s, crmToken) {
			t.Errorf("secret shown in %q", s)
		}
	}
}

// Every call with a token leaves an access record: who, which route,
// which ticket, and the answer's status.
func TestAPI_AuditsAccess(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	var tk ticketOut
	e.want(t, e.do(t, req{method: http.MethodPost, path: "/api/v1/tickets",
		body: map[string]any{"kind": "request", "summary": "call back"}}), http.StatusCreated, &tk)
	e.do(t, req{method: http.MethodGet, path: "/api/v1/tickets/" + tk.ID})
	e.do(t, req{method: http.MethodGet, path: "/api/v1/tickets/TK20990101-000001"})

	var reads []map[string]any
	for line := range strings.Lines(e.logs.String()) {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "api access" && rec["method"] == "GET" {
			reads = append(reads, rec)
		}
	}
	if len(reads) != 2 {
		t.Fatalf("%d access records for the two reads: %v", len(reads), reads)
	}
	if reads[0]["id"] != tk.ID || reads[0]["status"] != float64(200) || reads[0]["actor"] == "" {
		t.Errorf("read record = %v, want the ticket, 200 and the caller", reads[0])
	}
	if reads[1]["status"] != float64(404) {
		t.Errorf("unknown ticket record = %v, want 404", reads[1])
	}
}
