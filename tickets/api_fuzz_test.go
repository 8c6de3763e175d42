package tickets_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"hotline/tickets"
)

// FuzzAPI sends arbitrary methods, paths and bodies to the API: whatever
// comes in, the answer is a JSON error or success, never a server failure.
func FuzzAPI(f *testing.F) {
	e := newAPIEnv(f)
	tk, _, err := e.svc.Open(f.Context(), tickets.Draft{Kind: tickets.KindRequest})
	if err != nil {
		f.Fatalf("open ticket: %v", err)
	}
	seeds := []struct{ method, path, body string }{
		{"PATCH", "/api/v1/tickets/" + tk.ID, `{"status":"assigned"}`},
		{"PATCH", "/api/v1/tickets/" + tk.ID, `{"status":null,"note":"\u0000"}`},
		{"POST", "/api/v1/tickets", `{"kind":"fault","details":{"a":"b"},"priority":1e309}`},
		{"POST", "/api/v1/outages", `{"service":"tv","expected_fix":"9999-99-99T99:99:99Z"}`},
		{"PATCH", "/api/v1/outages/%00", `{"expected_fix":""}`},
		{"POST", "/api/v1/outages/x/close", `{"note":{}}`},
		{"GET", "/api/v1/tickets?limit=-1&cursor=%ff", ``},
		{"GET", "/api/v1/tickets?created_from=2026-13-01T00:00:00Z", ``},
		{"DELETE", "/api/v1/../v1/tickets", `[`},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.body)
	}

	f.Fuzz(func(t *testing.T, method, path, body string) {
		r, err := http.NewRequest(method, e.srv.URL+path, bytes.NewBufferString(body))
		if err != nil {
			t.Skip("not a request the client can send")
		}
		r.Header.Set("Authorization", "Bearer "+backofficeToken)
		r.Header.Set("Content-Type", "application/json")
		res, err := e.srv.Client().Do(r)
		if err != nil {
			t.Skip("not a request the client can send")
		}
		defer res.Body.Close()
		var out any
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil && res.StatusCode != http.StatusOK &&
			res.StatusCode != http.StatusMovedPermanently {
			t.Errorf("%s %s: %d answered with a body that is not JSON", method, path, res.StatusCode)
		}
		if res.StatusCode >= http.StatusInternalServerError {
			t.Errorf("%s %s %q: %d", method, path, body, res.StatusCode)
		}
	})
}
