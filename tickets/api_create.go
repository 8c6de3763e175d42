package tickets

import (
	"fmt"
	"maps"
	"net/http"
)

// maxExternalID bounds the creating system's own id of a ticket.
const maxExternalID = 200

// createRequest is the body of POST /api/v1/tickets.
type createRequest struct {
	Kind       Kind              `json:"kind"`
	Category   string            `json:"category"`
	Phone      string            `json:"phone"`
	Summary    string            `json:"summary"`
	Details    map[string]string `json:"details"`
	Service    string            `json:"service"`
	Area       string            `json:"area"`
	Priority   Priority          `json:"priority"`
	ExternalID string            `json:"external_id"`
}

// draft checks the request and turns it into a Draft opened by the
// caller. The ticket has no channel owner, so no subscriber is notified.
//
// Known gap: the request cannot name a channel owner yet, so a subscriber
// never sees, or hears about, a ticket another system created for them.
func (c createRequest) draft(caller string) (Draft, error) {
	if !c.Kind.Valid() {
		return Draft{}, badRequest("kind must be one of " + kindList())
	}
	if c.Priority != 0 && (c.Priority < PriorityLow || c.Priority > PriorityUrgent) {
		return Draft{}, badRequest(fmt.Sprintf("priority must be from %d to %d",
			PriorityLow, PriorityUrgent))
	}
	if len(c.ExternalID) > maxExternalID {
		return Draft{}, badRequest(fmt.Sprintf("external_id must be at most %d bytes", maxExternalID))
	}

	d := Draft{
		Kind: c.Kind, Category: c.Category, Source: "api",
		Phone: c.Phone, Details: c.Details, Summary: c.Summary,
		Service: c.Service, Area: c.Area, Priority: c.Priority, Actor: caller,
	}
	if c.ExternalID != "" {
		d.SourceKey = "api:" + caller + ":" + c.ExternalID
	}
	return d, nil
}

// createTicket serves POST /api/v1/tickets: 201 with the new ticket, or
// 200 with the existing one when the caller sent its external_id, or the
// same Idempotency-Key, before. A key repeated with another ticket's
// content is refused with 422.
func (a *api) createTicket(w http.ResponseWriter, r *http.Request) {
	var c createRequest
	if err := decode(r, &c, false); err != nil {
		a.fail(w, r, err)
		return
	}
	d, err := c.draft(actor(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	keyed, err := createKey(r, c, &d)
	if err != nil {
		a.fail(w, r, err)
		return
	}

	t, created, err := a.svc.Open(r.Context(), d)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if !created {
		if keyed && !sameContent(t, d) {
			a.fail(w, r, &apiError{status: http.StatusUnprocessableEntity, code: codeIdempotencyMismatch,
				reason: "this Idempotency-Key was already used for a different request"})
			return
		}
		if keyed {
			w.Header().Set("Idempotent-Replayed", "true")
		}
		status = http.StatusOK
		// The stored ticket is read again for its history.
		if t, err = a.svc.Get(r.Context(), t.ID); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	w.Header().Set("Location", apiPrefix+"/tickets/"+t.ID)
	a.log.Debug("ticket created via api", "ticket", t.ID, "actor", actor(r), "created", created)
	a.write(w, status, ticketFull(t))
}

// createKey makes an Idempotency-Key of a create request the ticket's
// source key when the request has no external_id (which wins when both
// are sent), so a retry finds the ticket the first try opened. It
// reports whether it did. Keys live in their own namespace, apart from
// external ids.
func createKey(r *http.Request, c createRequest, d *Draft) (bool, error) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" || c.ExternalID != "" {
		return false, nil
	}
	if len(key) > maxIdempotencyKey || !printable(key) {
		return false, badRequest("Idempotency-Key must be 1 to 200 printable ASCII characters")
	}
	d.SourceKey = "api-key:" + actor(r) + ":" + key
	return true, nil
}

// sameContent reports whether a stored ticket is what the draft asks
// for, in the fields no later change touches.
func sameContent(t Ticket, d Draft) bool {
	return t.Kind == d.Kind && t.Category == d.Category && t.Summary == d.Summary &&
		t.Phone == d.Phone && t.Service == d.Service && t.Area == d.Area &&
		maps.Equal(t.Details, d.Details)
}
