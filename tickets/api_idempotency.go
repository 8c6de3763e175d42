package tickets

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// maxIdempotencyKey bounds the Idempotency-Key header.
const maxIdempotencyKey = 200

// idemKey is an Idempotency-Key scoped to the caller, with the hash of the
// request it came with.
type idemKey struct {
	scoped string
	hash   string
}

// idempotencyKey reads the Idempotency-Key header of an update; nil when
// there is none. Keys are scoped by the token's name, so two systems
// cannot collide, and the hash covers the ticket and the decoded body, so
// whitespace and field order do not make a repeat look different.
func idempotencyKey(r *http.Request, id string, p patchRequest) (*idemKey, error) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		return nil, nil
	}
	if len(key) > maxIdempotencyKey || !printable(key) {
		return nil, badRequest("Idempotency-Key must be 1 to 200 printable ASCII characters")
	}

	canonical, _ := json.Marshal(p)
	sum := sha256.Sum256([]byte(r.Method + " " + id + "\n" + string(canonical)))
	return &idemKey{
		scoped: "api:" + actor(r) + ":" + key,
		hash:   hex.EncodeToString(sum[:]),
	}, nil
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// record is the outcome to store with the change.
func (k *idemKey) record(status int, body []byte, at time.Time) *Idempotency {
	return &Idempotency{Key: k.scoped, RequestHash: k.hash, Status: status, Body: body, At: at}
}

// replay answers a request whose key has a stored outcome: the stored
// status and body when the request is the same, 422 when the key was used
// for a different request. It reports false, having written nothing, when
// the key is new.
func (a *api) replay(w http.ResponseWriter, r *http.Request, k idemKey) bool {
	rec, err := a.svc.Recorded(r.Context(), k.scoped)
	if errors.Is(err, ErrNotFound) {
		return false
	}
	if err != nil {
		a.fail(w, r, err)
		return true
	}

	if rec.RequestHash != k.hash {
		a.fail(w, r, &apiError{status: http.StatusUnprocessableEntity, code: codeIdempotencyMismatch,
			reason: "this Idempotency-Key was already used for a different request"})
		return true
	}
	w.Header().Set("Idempotent-Replayed", "true")
	a.writeRaw(w, rec.Status, rec.Body)
	return true
}
