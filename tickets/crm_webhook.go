package tickets

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// CRM webhook limits and names.
const (
	// crmMaxBody caps a request body.
	crmMaxBody = 64 << 10
	// crmSkew is how far a request's timestamp may be from our clock.
	crmSkew = 5 * time.Minute
	// crmActor is who the history names for changes from the CRM.
	crmActor = "crm"
	// crmKeyPrefix scopes the CRM's event ids among idempotency keys.
	crmKeyPrefix = "crm:"
	// crmMaxID caps the length of a ticket or event id.
	crmMaxID = 128
)

// CRMStatusChange is the body the CRM POSTs to the webhook. Absent fields
// are left as they are; at least one of status, assignee, resolution and
// note must be given.
type CRMStatusChange struct {
	// TicketID is the ticket to change.
	TicketID string `json:"ticket_id"`
	// Status is the new status.
	Status *Status `json:"status,omitempty"`
	// Assignee is the new assignee; "" unassigns.
	Assignee *string `json:"assignee,omitempty"`
	// Resolution is the written feedback; required to resolve.
	Resolution *string `json:"resolution,omitempty"`
	// Note is added to the history.
	Note string `json:"note,omitempty"`
	// EventID is the CRM's id of this change; a repeat with the same id
	// is applied once and answered as the first time.
	EventID string `json:"event_id"`
}

// crmReply is the webhook's answer to an applied change.
type crmReply struct {
	TicketID string `json:"ticket_id"`
	Status   Status `json:"status"`
	Version  int64  `json:"version"`
}

// crmProblem is the webhook's answer to a refused request.
type crmProblem struct {
	Error  string `json:"error"`
	Reason string `json:"reason"`
}

type crmWebhook struct {
	svc    *Service
	secret []byte
	now    func() time.Time
	log    *slog.Logger
}

// NewCRMWebhook returns the handler the CRM POSTs ticket changes to. A
// request is signed as outbound events are (see SignCRM) and its timestamp
// must be within 5 minutes of now. The change is applied with Service.Apply
// as actor "crm"; its event_id makes it idempotent. Answers: 200 with the
// ticket's id, status and version; 400 for a malformed or incomplete body;
// 401 for a missing or wrong signature or a stale timestamp; 404 for an
// unknown ticket; 405 for a method other than POST; 409 for a status change
// the rules forbid or an event_id reused for another change; 413 for a body
// over 64 KiB; 503 when the ticket is too busy to change, to be retried.
// An empty secret refuses every request. A nil now means time.Now.
func NewCRMWebhook(svc *Service, secret string, now func() time.Time,
	log *slog.Logger) http.Handler {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "crm_webhook")
	if secret == "" {
		log.Error("crm webhook has no secret; every request is refused")
	}
	return &crmWebhook{svc: svc, secret: []byte(secret), now: now, log: log}
}

func (h *crmWebhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeCRM(w, http.StatusMethodNotAllowed, crmProblem{"method_not_allowed", "use POST"})
		return
	}

	body, status, problem := readCRMBody(w, r)
	if status != 0 {
		writeCRM(w, status, problem)
		return
	}

	if reason := h.verify(r.Header, body); reason != "" {
		h.log.Warn("crm request refused", "reason", reason)
		writeCRM(w, http.StatusUnauthorized, crmProblem{"unauthorized", reason})
		return
	}

	req, reason := parseCRMChange(body)
	if reason != "" {
		writeCRM(w, http.StatusBadRequest, crmProblem{"bad_request", reason})
		return
	}
	h.apply(r.Context(), w, req)
}

// readCRMBody reads a body up to the size limit; a non-zero status says
// it could not, and the problem why.
func readCRMBody(w http.ResponseWriter, r *http.Request) ([]byte, int, crmProblem) {
	tooLarge := crmProblem{"too_large", "the body is over 64 KiB"}
	if r.ContentLength > crmMaxBody {
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, crmMaxBody))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	case err != nil:
		return nil, http.StatusBadRequest, crmProblem{"bad_request", "the body could not be read"}
	}
	return body, 0, crmProblem{}
}

// verify checks the timestamp and signature; it returns why they fail, or
// "" when they pass.
func (h *crmWebhook) verify(hd http.Header, body []byte) string {
	ts, sig := hd.Get(HeaderTimestamp), hd.Get(HeaderSignature)
	if ts == "" || sig == "" {
		return "missing " + HeaderTimestamp + " or " + HeaderSignature
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return HeaderTimestamp + " must be unix seconds"
	}
	if skew := h.now().Sub(time.Unix(sec, 0)); skew > crmSkew || skew < -crmSkew {
		return "stale timestamp: more than 5 minutes from the gateway's clock"
	}

	hexMAC, ok := strings.CutPrefix(sig, "sha256=")
	mac, err := hex.DecodeString(hexMAC)
	if !ok || err != nil || len(h.secret) == 0 || !hmac.Equal(mac, crmMAC(h.secret, ts, body)) {
		return "bad signature"
	}
	return ""
}

// parseCRMChange decodes and checks a body; it returns why it is refused,
// or "".
func parseCRMChange(body []byte) (CRMStatusChange, string) {
	var c CRMStatusChange
	if err := json.Unmarshal(body, &c); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return c, "field " + te.Field + " has the wrong type"
		}
		return c, "the body is not a JSON object"
	}
	if holdsNUL(reflect.ValueOf(c)) {
		return c, nulReason
	}
	if c.Status != nil && *c.Status == "" {
		c.Status = nil
	}

	switch {
	case c.TicketID == "" || c.EventID == "":
		return c, "ticket_id and event_id are required"
	case len(c.TicketID) > crmMaxID || len(c.EventID) > crmMaxID:
		return c, "ticket_id and event_id are at most 128 bytes"
	case c.update().Empty():
		return c, "nothing to change: give status, assignee, resolution or note"
	}
	return c, ""
}

func (c CRMStatusChange) update() Update {
	return Update{Status: c.Status, Assignee: c.Assignee, Resolution: c.Resolution, Note: c.Note}
}

// hash tells a repeat of the change from another change under the same
// event id; it is taken over the decoded fields, so spacing does not count.
func (c CRMStatusChange) hash() string {
	b, _ := json.Marshal(c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// apply replays the stored answer to a repeated event id, or applies the
// change and stores the answer with it.
func (h *crmWebhook) apply(ctx context.Context, w http.ResponseWriter, c CRMStatusChange) {
	key, hash := crmKeyPrefix+c.EventID, c.hash()
	if h.replay(ctx, w, key, hash) {
		return
	}

	var reply []byte
	record := func(t Ticket) *Idempotency {
		// The store raises the version as it saves t.
		reply, _ = json.Marshal(crmReply{TicketID: t.ID, Status: t.Status, Version: t.Version + 1})
		return &Idempotency{Key: key, RequestHash: hash, Status: http.StatusOK, Body: reply, At: h.now()}
	}
	t, err := h.svc.Apply(ctx, c.TicketID, c.update(), crmActor, record)
	if errors.Is(err, ErrConflict) && h.replay(ctx, w, key, hash) {
		return // the same event id was applied meanwhile
	}
	if err != nil {
		h.refuse(w, c, err)
		return
	}

	h.log.Debug("crm change applied", "ticket", t.ID, "event_id", c.EventID, "status", t.Status)
	writeCRMBytes(w, http.StatusOK, reply)
}

// replay answers a repeated event id as the first time and reports
// whether it did. A store failure is answered too, with 500.
func (h *crmWebhook) replay(ctx context.Context, w http.ResponseWriter, key, hash string) bool {
	rec, err := h.svc.Recorded(ctx, key)
	switch {
	case errors.Is(err, ErrNotFound):
		return false
	case err != nil:
		h.log.Error("crm webhook could not read idempotency record", "key", key, "error", err)
		writeCRM(w, http.StatusInternalServerError, crmProblem{"internal", "try again later"})
		return true
	case rec.RequestHash != hash:
		writeCRM(w, http.StatusConflict, crmProblem{"event_id_reused",
			"this event_id was already used for a different change"})
		return true
	}
	writeCRMBytes(w, rec.Status, rec.Body)
	return true
}

// refuse maps an Apply error to its answer: this is the one place where
// the webhook turns error kinds into HTTP statuses.
func (h *crmWebhook) refuse(w http.ResponseWriter, c CRMStatusChange, err error) {
	var te *TransitionError
	switch {
	case errors.Is(err, ErrNotFound):
		writeCRM(w, http.StatusNotFound, crmProblem{"not_found", "no ticket " + c.TicketID})
	case errors.As(err, &te):
		writeCRM(w, http.StatusConflict, crmProblem{"invalid_transition", allowedMoves(te)})
	case errors.Is(err, ErrInvalid):
		reason := strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": ")
		writeCRM(w, http.StatusBadRequest, crmProblem{"invalid", reason})
	case errors.Is(err, ErrConflict):
		w.Header().Set("Retry-After", "1")
		writeCRM(w, http.StatusServiceUnavailable, crmProblem{"busy", "the ticket is changing; retry"})
	default:
		h.log.Error("crm change failed", "ticket", c.TicketID, "event_id", c.EventID, "error", err)
		writeCRM(w, http.StatusInternalServerError, crmProblem{"internal", "try again later"})
	}
}

// allowedMoves says which statuses a ticket could have moved to instead.
func allowedMoves(te *TransitionError) string {
	allowed := moves[te.From]
	if len(allowed) == 0 {
		return "a " + string(te.From) + " ticket cannot change status"
	}
	names := make([]string, len(allowed))
	for i, s := range allowed {
		names[i] = string(s)
	}
	return "a " + string(te.From) + " ticket cannot become " + string(te.To) +
		"; allowed: " + strings.Join(names, ", ")
}

func writeCRM(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	writeCRMBytes(w, status, b)
}

func writeCRMBytes(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
