package tickets_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"hotline/tickets"
)

func TestAPI_PatchLifecycle(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	tk := e.open(t, tickets.Draft{Kind: tickets.KindFault})
	path := "/api/v1/tickets/" + tk.ID

	patch := func(body map[string]any) ticketOut {
		t.Helper()
		e.clock.Advance(time.Minute)
		var out ticketOut
		e.want(t, e.do(t, req{method: http.MethodPatch, path: path, body: body}), http.StatusOK, &out)
		return out
	}

	got := patch(map[string]any{"status": "assigned", "assignee": "wang"})
	if got.Status != "assigned" || got.Assignee != "wang" || got.RespondedAt == nil {
		t.Fatalf("after assign: %+v", got)
	}
	got = patch(map[string]any{"status": "in_progress", "note": "on site"})
	if got.Status != "in_progress" {
		t.Fatalf("after in_progress: %+v", got)
	}

	reason := e.wantError(t, e.do(t, req{method: http.MethodPatch, path: path,
		body: map[string]any{"status": "resolved"}}), http.StatusBadRequest, "bad_request")
	if !strings.Contains(reason, "resolution") {
		t.Errorf("reason %q does not ask for a resolution", reason)
	}

	got = patch(map[string]any{"status": "resolved", "resolution": "line repaired"})
	if got.Status != "resolved" || got.Resolution != "line repaired" || got.ResolvedAt == nil {
		t.Fatalf("after resolve: %+v", got)
	}
	got = patch(map[string]any{"status": "closed"})
	if got.Status != "closed" || got.Version != tk.Version+4 {
		t.Fatalf("after close: %+v (version %d, opened at %d)", got, got.Version, tk.Version)
	}

	var full ticketOut
	e.getOK(t, path, &full)
	if full.Version != got.Version {
		t.Errorf("GET version %d, PATCH said %d", full.Version, got.Version)
	}
	var moves []string
	for _, c := range full.History {
		if c.Action == "status" {
			moves = append(moves, c.From+">"+c.To)
			if c.Actor != "backoffice" {
				t.Errorf("status change by %q, want backoffice", c.Actor)
			}
		}
	}
	want := "new>assigned assigned>in_progress in_progress>resolved resolved>closed"
	if strings.Join(moves, " ") != want {
		t.Errorf("status history %v, want %s", moves, want)
	}
}

func TestAPI_PatchAssignMakesNewAssigned(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	tk := e.open(t, tickets.Draft{})
	var got ticketOut
	e.want(t, e.do(t, req{method: http.MethodPatch, path: "/api/v1/tickets/" + tk.ID,
		body: map[string]any{"assignee": "zhao"}}), http.StatusOK, &got)
	if got.Status != "assigned" || got.Assignee != "zhao" {
		t.Fatalf("got %+v", got)
	}
}

func TestAPI_PatchRefusals(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	fresh := e.open(t, tickets.Draft{})
	cancelled := e.open(t, tickets.Draft{})
	e.want(t, e.do(t, req{method: http.MethodPatch, path: "/api/v1/tickets/" + cancelled.ID,
		body: map[string]any{"status": "cancelled"}}), http.StatusOK, nil)

	cases := []struct {
		name   string
		id     string
		body   any
		status int
		code   string
		reason string
	}{
		{"new_to_closed", fresh.ID, map[string]any{"status": "closed"}, http.StatusConflict,
			"invalid_transition", "a new ticket cannot become closed; allowed: "},
		{"new_to_reopened", fresh.ID, map[string]any{"status": "reopened"}, http.StatusConflict,
			"invalid_transition", "a new ticket cannot become reopened"},
		{"cancelled_is_final", cancelled.ID, map[string]any{"status": "in_progress"}, http.StatusConflict,
			"invalid_transition", "a cancelled ticket cannot change status"},
		{"unknown_status", fresh.ID, map[string]any{"status": "done"}, http.StatusBadRequest,
			"bad_request", `status "done" is unknown`},
		{"empty_update", fresh.ID, map[string]any{}, http.StatusBadRequest,
			"bad_request", "at least one"},
		{"empty_note_only", fresh.ID, map[string]any{"note": ""}, http.StatusBadRequest,
			"bad_request", "at least one"},
		{"unknown_field", fresh.ID, map[string]any{"state": "closed"}, http.StatusBadRequest,
			"bad_request", "unknown field"},
		{"wrong_type", fresh.ID, map[string]any{"status": 3}, http.StatusBadRequest,
			"bad_request", "status must be a JSON string"},
		{"not_json", fresh.ID, `{"status":`, http.StatusBadRequest, "bad_request", "not valid JSON"},
		{"array_body", fresh.ID, `[]`, http.StatusBadRequest, "bad_request", "JSON object"},
		{"trailing_data", fresh.ID, `{"note":"a"} {"note":"b"}`, http.StatusBadRequest,
			"bad_request", "nothing after it"},
		{"unknown_ticket", "TK20261203-999999", map[string]any{"note": "x"}, http.StatusNotFound,
			"not_found", "TK20261203-999999"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := e.do(t, req{method: http.MethodPatch, path: "/api/v1/tickets/" + c.id, body: c.body})
			reason := e.wantError(t, res, c.status, c.code)
			if !strings.Contains(reason, c.reason) {
				t.Errorf("reason %q, want it to contain %q", reason, c.reason)
			}
		})
	}

	t.Run("refusals_change_nothing", func(t *testing.T) {
		var got ticketOut
		e.getOK(t, "/api/v1/tickets/"+fresh.ID, &got)
		if got.Status != "new" || len(got.History) != 1 {
			t.Errorf("ticket changed: %+v", got)
		}
	})
}
