package tickets_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestAPI_Auth(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	lastByte := backofficeToken[:len(backofficeToken)-1] + "2"

	refused := []struct {
		name, header string
	}{
		{"missing_header", "-"},
		{"wrong_token", "Bearer not-a-token"},
		{"wrong_scheme", "Basic " + backofficeToken},
		{"no_scheme", backofficeToken},
		{"empty_bearer", "Bearer "},
		{"last_byte_differs", "Bearer " + lastByte},
		{"token_prefix", "Bearer " + backofficeToken[:10]},
		{"token_with_suffix", "Bearer " + backofficeToken + "x"},
	}
	for _, c := range refused {
		t.Run("refuses_"+c.name, func(t *testing.T) {
			res := e.do(t, req{method: http.MethodGet, path: "/api/v1/tickets", token: c.header})
			e.wantError(t, res, http.StatusUnauthorized, "unauthorized")
			if got := res.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Errorf("WWW-Authenticate %q", got)
			}
			if strings.Contains(string(res.body), backofficeToken[:10]) {
				t.Errorf("the answer echoes the token: %s", res.body)
			}
		})
	}

	accepted := []struct {
		name, header string
	}{
		{"backoffice_token", "Bearer " + backofficeToken},
		{"crm_token", "Bearer " + crmToken},
		{"lower_case_scheme", "bearer " + backofficeToken},
	}
	for _, c := range accepted {
		t.Run("accepts_"+c.name, func(t *testing.T) {
			res := e.do(t, req{method: http.MethodGet, path: "/api/v1/tickets", token: c.header})
			e.want(t, res, http.StatusOK, nil)
		})
	}

	t.Run("unknown_path_needs_token_first", func(t *testing.T) {
		res := e.do(t, req{method: http.MethodGet, path: "/api/v1/nothing", token: "-"})
		e.wantError(t, res, http.StatusUnauthorized, "unauthorized")
	})

	t.Run("records_token_name_as_actor", func(t *testing.T) {
		var tk ticketOut
		e.want(t, e.do(t, req{method: http.MethodPost, path: "/api/v1/tickets",
			token: "Bearer " + crmToken, body: map[string]any{"kind": "request"}}), http.StatusCreated, &tk)
		if len(tk.History) != 1 || tk.History[0].Actor != "crm" {
			t.Fatalf("history %+v, want one entry by crm", tk.History)
		}
	})
}
