package tickets

import (
	"encoding/json"
	"net/http"
)

// patchRequest is the body of PATCH /api/v1/tickets/{id}.
type patchRequest struct {
	Status     *string `json:"status,omitempty"`
	Assignee   *string `json:"assignee,omitempty"`
	Resolution *string `json:"resolution,omitempty"`
	Note       string  `json:"note,omitempty"`
}

// update checks the request and turns it into an Update.
func (p patchRequest) update() (Update, error) {
	u := Update{Assignee: p.Assignee, Resolution: p.Resolution, Note: p.Note}
	if u.Empty() && p.Status == nil {
		return Update{}, badRequest("give at least one of status, assignee, resolution and note")
	}
	if p.Status != nil {
		s := Status(*p.Status)
		if !s.Valid() {
			return Update{}, unknownStatus(*p.Status)
		}
		u.Status = &s
	}
	return u, nil
}

// patchTicket serves PATCH /api/v1/tickets/{id}: a status change,
// assignment, resolution or note, answered with the updated ticket
// (without history). With an Idempotency-Key header the answer is stored
// with the change and replayed for a repeat of the same request.
func (a *api) patchTicket(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var p patchRequest
	if err := decode(r, &p, false); err != nil {
		a.fail(w, r, err)
		return
	}
	u, err := p.update()
	if err != nil {
		a.fail(w, r, err)
		return
	}

	key, err := idempotencyKey(r, id, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if key != nil && a.replay(w, r, *key) {
		return
	}

	var body []byte
	record := func(t Ticket) *Idempotency {
		body = patchBody(t)
		if key == nil {
			return nil
		}
		return key.record(http.StatusOK, body, a.svc.now())
	}
	_, err = a.svc.Apply(r.Context(), id, u, actor(r), record)
	if err != nil {
		// A twin request with the same key may have won the race; its
		// answer is the answer to this one too.
		if key != nil && a.replay(w, r, *key) {
			return
		}
		a.fail(w, r, notFound(err, "ticket", id))
		return
	}
	a.log.Debug("ticket updated via api", "ticket", id, "actor", actor(r))
	a.writeRaw(w, http.StatusOK, body)
}

// patchBody is the answer to an update: the ticket as the store will hold
// it once the change is committed. Apply hands record the ticket as read,
// and the store raises the version by one when it stores it.
func patchBody(t Ticket) []byte {
	t.Version++
	// A ticketJSON has no value encoding/json cannot write.
	body, _ := json.Marshal(ticketView(t))
	return body
}
