package tickets_test

import (
	"bytes"
	"net/http"
	"sync"
	"testing"

	"hotline/tickets"
)

// notes counts the history entries of a ticket that carry a note, on
// their own or with a status change.
func (e *apiEnv) notes(t *testing.T, id string) int {
	t.Helper()
	var got ticketOut
	e.getOK(t, "/api/v1/tickets/"+id, &got)
	n := 0
	for _, c := range got.History {
		if c.Note != "" && c.Action != "created" {
			n++
		}
	}
	return n
}

func TestAPI_Idempotency(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	keyed := func(t *testing.T, id, key, token string, body any) response {
		return e.do(t, req{method: http.MethodPatch, path: "/api/v1/tickets/" + id, body: body,
			token: token, headers: map[string]string{"Idempotency-Key": key}})
	}

	t.Run("repeat_applies_once_and_replays", func(t *testing.T) {
		tk := e.open(t, tickets.Draft{})
		first := keyed(t, tk.ID, "k-1", "", `{"note": "called", "assignee": "li"}`)
		e.want(t, first, http.StatusOK, nil)
		// The same request with other spacing and field order.
		again := keyed(t, tk.ID, "k-1", "", `{"assignee":"li","note":"called"}`)
		e.want(t, again, http.StatusOK, nil)

		if !bytes.Equal(first.body, again.body) {
			t.Errorf("replay differs:\n%s\n%s", first.body, again.body)
		}
		replayedFirst := first.header.Get("Idempotent-Replayed")
		replayedAgain := again.header.Get("Idempotent-Replayed")
		if replayedFirst != "" || replayedAgain != "true" {
			t.Errorf("Idempotent-Replayed first %q, again %q", replayedFirst, replayedAgain)
		}
		if n := e.notes(t, tk.ID); n != 1 {
			t.Errorf("%d notes, want 1", n)
		}
	})

	t.Run("replayed_body_matches_stored_ticket", func(t *testing.T) {
		tk := e.open(t, tickets.Draft{})
		var patched, stored ticketOut
		res := keyed(t, tk.ID, "k-2", "", map[string]any{"status": "in_progress"})
		e.want(t, res, http.StatusOK, &patched)
		e.getOK(t, "/api/v1/tickets/"+tk.ID, &stored)
		if patched.Version != stored.Version || patched.Status != stored.Status {
			t.Errorf("answer version %d status %s; stored %d %s",
				patched.Version, patched.Status, stored.Version, stored.Status)
		}
	})

	t.Run("same_key_other_body_is_422", func(t *testing.T) {
		tk := e.open(t, tickets.Draft{})
		e.want(t, keyed(t, tk.ID, "k-3", "", map[string]any{"note": "one"}), http.StatusOK, nil)
		e.wantError(t, keyed(t, tk.ID, "k-3", "", map[string]any{"note": "two"}),
			http.StatusUnprocessableEntity, "idempotency_key_reused")
		if n := e.notes(t, tk.ID); n != 1 {
			t.Errorf("%d notes, want 1", n)
		}
	})

	t.Run("same_key_other_ticket_is_422", func(t *testing.T) {
		a, b := e.open(t, tickets.Draft{}), e.open(t, tickets.Draft{})
		e.want(t, keyed(t, a.ID, "k-4", "", map[string]any{"note": "x"}), http.StatusOK, nil)
		e.wantError(t, keyed(t, b.ID, "k-4", "", map[string]any{"note": "x"}),
			http.StatusUnprocessableEntity, "idempotency_key_reused")
	})

	t.Run("keys_are_scoped_by_token", func(t *testing.T) {
		tk := e.open(t, tickets.Draft{})
		e.want(t, keyed(t, tk.ID, "k-5", "", map[string]any{"note": "x"}), http.StatusOK, nil)
		res := keyed(t, tk.ID, "k-5", "Bearer "+crmToken, map[string]any{"note": "x"})
		e.want(t, res, http.StatusOK, nil)
		if res.header.Get("Idempotent-Replayed") != "" {
			t.Error("another token's key was replayed")
		}
		if n := e.notes(t, tk.ID); n != 2 {
			t.Errorf("%d notes, want 2", n)
		}
	})

	t.Run("failed_request_is_not_stored", func(t *testing.T) {
		tk := e.open(t, tickets.Draft{})
		e.wantError(t, keyed(t, tk.ID, "k-6", "", map[string]any{"status": "closed"}),
			http.StatusConflict, "invalid_transition")
		e.want(t, keyed(t, tk.ID, "k-6", "", map[string]any{"status": "cancelled"}), http.StatusOK, nil)
	})

	t.Run("bad_key_is_400", func(t *testing.T) {
		tk := e.open(t, tickets.Draft{})
		long := string(bytes.Repeat([]byte("k"), 201))
		e.wantError(t, keyed(t, tk.ID, long, "", map[string]any{"note": "x"}),
			http.StatusBadRequest, "bad_request")
	})
}

func TestAPI_IdempotencyConcurrent(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	tk := e.open(t, tickets.Draft{})

	const n = 8
	results := make([]response, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			results[i] = e.send(t, req{method: http.MethodPatch, path: "/api/v1/tickets/" + tk.ID,
				body:    map[string]any{"note": "once only", "status": "in_progress"},
				headers: map[string]string{"Idempotency-Key": "race-1"}})
		})
	}
	close(start)
	wg.Wait()

	replayed := 0
	for i, r := range results {
		e.spec.checkResponse(t, http.MethodPatch, "/api/v1/tickets/"+tk.ID, r)
		if r.status != http.StatusOK {
			t.Fatalf("request %d: %d %s", i, r.status, r.body)
		}
		if !bytes.Equal(r.body, results[0].body) {
			t.Errorf("request %d answered differently:\n%s\n%s", i, r.body, results[0].body)
		}
		if r.header.Get("Idempotent-Replayed") == "true" {
			replayed++
		}
	}
	if replayed != n-1 {
		t.Errorf("%d replays, want %d", replayed, n-1)
	}
	if got := e.notes(t, tk.ID); got != 1 {
		t.Errorf("%d notes, want 1", got)
	}
}

// A create retried with its Idempotency-Key finds the ticket the first try
// opened; the key with other content is refused; keys are per token and
// an external_id, when sent too, decides.
func TestAPI_IdempotentCreate(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	create := func(t *testing.T, key, token string, body map[string]any) response {
		return e.do(t, req{method: http.MethodPost, path: "/api/v1/tickets", body: body,
			token: token, headers: map[string]string{"Idempotency-Key": key}})
	}
	fault := func(summary string) map[string]any {
		return map[string]any{"kind": "fault", "summary": summary, "phone": "13800000000",
			"details": map[string]string{"address": "东区 1 号"}}
	}

	t.Run("retry_finds_the_first_ticket", func(t *testing.T) {
		var first, again ticketOut
		e.want(t, create(t, "c-1", "", fault("断网")), http.StatusCreated, &first)
		res := create(t, "c-1", "", fault("断网"))
		e.want(t, res, http.StatusOK, &again)
		if again.ID != first.ID || res.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry gave %s (replayed %q), want %s replayed", again.ID,
				res.header.Get("Idempotent-Replayed"), first.ID)
		}
	})

	t.Run("same_key_other_content_is_422", func(t *testing.T) {
		e.want(t, create(t, "c-2", "", fault("断网")), http.StatusCreated, nil)
		e.wantError(t, create(t, "c-2", "", fault("网速慢")), http.StatusUnprocessableEntity, "idempotency_key_reused")
	})

	t.Run("keys_are_scoped_by_token", func(t *testing.T) {
		var mine, theirs ticketOut
		e.want(t, create(t, "c-3", "", fault("断网")), http.StatusCreated, &mine)
		e.want(t, create(t, "c-3", "Bearer "+crmToken, fault("断网")), http.StatusCreated, &theirs)
		if mine.ID == theirs.ID {
			t.Error("another token's key found this token's ticket")
		}
	})

	t.Run("external_id_decides_when_both_are_sent", func(t *testing.T) {
		var a, b ticketOut
		withID := fault("断网")
		withID["external_id"] = "CRM-c-4"
		e.want(t, create(t, "c-4", "", withID), http.StatusCreated, &a)
		withID["external_id"] = "CRM-c-5"
		e.want(t, create(t, "c-4", "", withID), http.StatusCreated, &b)
		if a.ID == b.ID {
			t.Error("two external ids under one key made one ticket")
		}
	})

	t.Run("bad_key_is_400", func(t *testing.T) {
		long := string(bytes.Repeat([]byte("k"), 201))
		e.wantError(t, create(t, long, "", fault("断网")), http.StatusBadRequest, "bad_request")
	})
}
