package tickets_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestAPI_Create(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	post := func(t *testing.T, token string, body any) response {
		return e.do(t, req{method: http.MethodPost, path: "/api/v1/tickets", token: token, body: body})
	}
	full := map[string]any{
		"kind": "complaint", "category": "billing", "phone": "13600000000",
		"summary": "charged twice", "details": map[string]string{"month": "2026-11"},
		"service": "mobile", "area": "east", "priority": 4, "external_id": "CRM-1001",
	}

	var first ticketOut
	res := post(t, "", full)
	e.want(t, res, http.StatusCreated, &first)

	t.Run("stores_the_request", func(t *testing.T) {
		if first.Kind != "complaint" || first.Phone != "13600000000" || first.Priority != 4 ||
			first.Source != "api" || first.Details["month"] != "2026-11" || first.Status != "new" {
			t.Errorf("created %+v", first)
		}
		if loc := res.header.Get("Location"); loc != "/api/v1/tickets/"+first.ID {
			t.Errorf("Location %q", loc)
		}
		if len(first.History) != 1 || first.History[0].Actor != "backoffice" {
			t.Errorf("history %+v", first.History)
		}
	})

	t.Run("same_external_id_returns_existing", func(t *testing.T) {
		var again ticketOut
		e.want(t, post(t, "", full), http.StatusOK, &again)
		if again.ID != first.ID || len(again.History) != 1 {
			t.Errorf("got %s with %d changes, want %s with 1", again.ID, len(again.History), first.ID)
		}
	})

	t.Run("external_id_is_scoped_by_token", func(t *testing.T) {
		var other ticketOut
		e.want(t, post(t, "Bearer "+crmToken, full), http.StatusCreated, &other)
		if other.ID == first.ID {
			t.Error("another system's external_id matched")
		}
	})

	t.Run("without_external_id_creates_each_time", func(t *testing.T) {
		var a, b ticketOut
		e.want(t, post(t, "", map[string]any{"kind": "request"}), http.StatusCreated, &a)
		e.want(t, post(t, "", map[string]any{"kind": "request"}), http.StatusCreated, &b)
		if a.ID == b.ID {
			t.Error("two creations gave one ticket")
		}
		if a.Priority != 2 {
			t.Errorf("priority %d, want the kind's 2", a.Priority)
		}
	})

	refusals := []struct {
		name   string
		body   any
		reason string
	}{
		{"missing_kind", map[string]any{"phone": "1"}, "kind must be one of"},
		{"unknown_kind", map[string]any{"kind": "praise"}, "kind must be one of"},
		{"priority_out_of_range", map[string]any{"kind": "request", "priority": 9}, "priority"},
		{"priority_as_text", map[string]any{"kind": "request", "priority": "high"}, "priority must be"},
		{"details_not_strings", map[string]any{"kind": "request",
			"details": map[string]int{"a": 1}}, "details"},
		{"external_id_too_long", map[string]any{"kind": "request",
			"external_id": strings.Repeat("x", 201)}, "external_id"},
		{"owner_fields_not_taken", map[string]any{"kind": "request", "channel": "sms"}, "unknown field"},
		{"null_body", "null", "kind must be one of"},
	}
	for _, c := range refusals {
		t.Run("refuses_"+c.name, func(t *testing.T) {
			reason := e.wantError(t, post(t, "", c.body), http.StatusBadRequest, "bad_request")
			if !strings.Contains(reason, c.reason) {
				t.Errorf("reason %q, want it to contain %q", reason, c.reason)
			}
		})
	}
}
