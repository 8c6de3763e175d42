package tickets

import (
	"fmt"
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
// 200 with the existing one when the caller sent its external_id before.
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

	t, created, err := a.svc.Open(r.Context(), d)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	w.Header().Set("Location", apiPrefix+"/tickets/"+t.ID)
	if !created {
		status = http.StatusOK
		// The stored ticket is read again for its history.
		if t, err = a.svc.Get(r.Context(), t.ID); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	a.log.Debug("ticket created via api", "ticket", t.ID, "actor", actor(r), "created", created)
	a.write(w, status, ticketFull(t))
}
