package tickets_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"hotline/tickets"
)

func TestAPI_Outages(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	fix := e.clock.Now().Add(6 * time.Hour)

	var og outageOut
	res := e.do(t, req{method: http.MethodPost, path: "/api/v1/outages", body: map[string]any{
		"service": "broadband", "area": "north", "description": "fibre cut",
		"expected_fix": stampOf(fix)}})
	e.want(t, res, http.StatusCreated, &og)
	if !og.Open || og.Service != "broadband" || !og.ExpectedFix.Equal(fix) ||
		res.header.Get("Location") != "/api/v1/outages/"+og.ID {
		t.Fatalf("declared %+v, Location %q", og, res.header.Get("Location"))
	}
	path := "/api/v1/outages/" + og.ID

	t.Run("fault_in_area_is_linked", func(t *testing.T) {
		linked := e.open(t, tickets.Draft{Kind: tickets.KindFault, Service: "broadband", Area: "north"})
		other := e.open(t, tickets.Draft{Kind: tickets.KindFault, Service: "broadband", Area: "south"})
		var got ticketOut
		e.getOK(t, "/api/v1/tickets/"+linked.ID, &got)
		if got.OutageID != og.ID {
			t.Errorf("outage_id %q, want %s", got.OutageID, og.ID)
		}
		e.getOK(t, "/api/v1/tickets/"+other.ID, &got)
		if got.OutageID != "" {
			t.Errorf("fault in another area linked to %s", got.OutageID)
		}
	})

	t.Run("get_and_list", func(t *testing.T) {
		var got outageOut
		e.getOK(t, path, &got)
		if got.ID != og.ID || got.Description != "fibre cut" {
			t.Errorf("got %+v", got)
		}
		if n := e.outageCount(t, ""); n != 1 {
			t.Errorf("%d open outages, want 1", n)
		}
		e.wantError(t, e.do(t, req{method: http.MethodGet, path: "/api/v1/outages/OG20261203-999999"}),
			http.StatusNotFound, "not_found")
	})

	t.Run("update", func(t *testing.T) {
		later := fix.Add(3 * time.Hour)
		var got outageOut
		e.want(t, e.do(t, req{method: http.MethodPatch, path: path, body: map[string]any{
			"expected_fix": stampOf(later), "description": "fibre cut, crew on site"}}), http.StatusOK, &got)
		if !got.ExpectedFix.Equal(later) || got.Description != "fibre cut, crew on site" {
			t.Errorf("updated %+v", got)
		}
		e.wantError(t, e.do(t, req{method: http.MethodPatch, path: path, body: map[string]any{}}),
			http.StatusBadRequest, "bad_request")
		e.wantError(t, e.do(t, req{method: http.MethodPatch, path: path,
			body: map[string]any{"expected_fix": "tonight"}}), http.StatusBadRequest, "bad_request")
	})

	t.Run("close", func(t *testing.T) {
		var got outageOut
		e.want(t, e.do(t, req{method: http.MethodPost, path: path + "/close",
			body: map[string]any{"note": "service restored"}}), http.StatusOK, &got)
		if got.Open || got.Note != "service restored" || got.ClosedAt == nil {
			t.Errorf("closed %+v", got)
		}
		if n := e.outageCount(t, ""); n != 0 {
			t.Errorf("%d open outages after close", n)
		}
		if n := e.outageCount(t, "?all=true"); n != 1 {
			t.Errorf("%d outages with all=true, want 1", n)
		}
	})

	t.Run("closed_outage_refuses_changes", func(t *testing.T) {
		e.wantError(t, e.do(t, req{method: http.MethodPost, path: path + "/close"}),
			http.StatusConflict, "closed")
		e.wantError(t, e.do(t, req{method: http.MethodPatch, path: path,
			body: map[string]any{"description": "x"}}), http.StatusConflict, "closed")
	})

	t.Run("fault_after_close_is_not_linked", func(t *testing.T) {
		tk := e.open(t, tickets.Draft{Kind: tickets.KindFault, Service: "broadband", Area: "north"})
		if tk.OutageID != "" {
			t.Errorf("linked to closed outage %s", tk.OutageID)
		}
	})
}

func TestAPI_OutageRefusals(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	fix := stampOf(e.clock.Now().Add(time.Hour))
	cases := []struct {
		name string
		body any
	}{
		{"missing_service", map[string]any{"expected_fix": fix}},
		{"missing_expected_fix", map[string]any{"service": "tv"}},
		{"expected_fix_not_rfc3339", map[string]any{"service": "tv", "expected_fix": "2026-12-03 18:00"}},
		{"unknown_field", map[string]any{"service": "tv", "expected_fix": fix, "severity": 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.wantError(t, e.do(t, req{method: http.MethodPost, path: "/api/v1/outages", body: c.body}),
				http.StatusBadRequest, "bad_request")
		})
	}
	t.Run("close_unknown_is_404", func(t *testing.T) {
		res := e.do(t, req{method: http.MethodPost, path: "/api/v1/outages/OG1/close", body: "{}"})
		e.wantError(t, res,
			http.StatusNotFound, "not_found")
	})
	t.Run("bad_list_parameters", func(t *testing.T) {
		for _, q := range []string{"?all=maybe", "?limit=0", "?open=true"} {
			e.wantError(t, e.do(t, req{method: http.MethodGet, path: "/api/v1/outages" + q}),
				http.StatusBadRequest, "bad_request")
		}
	})
	if list, _ := e.svc.Outages(context.Background(), true, 10); len(list) != 0 {
		t.Errorf("refused requests stored %d outages", len(list))
	}
}

// outageCount lists outages with the query and counts them.
func (e *apiEnv) outageCount(t *testing.T, query string) int {
	t.Helper()
	var list struct {
		Outages []outageOut `json:"outages"`
	}
	e.getOK(t, "/api/v1/outages"+query, &list)
	return len(list.Outages)
}
