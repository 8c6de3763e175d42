package tickets

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// Error codes of the REST API, the "error" field of an error response.
const (
	codeBadRequest          = "bad_request"
	codeUnauthorized        = "unauthorized"
	codeNotFound            = "not_found"
	codeUnknownPath         = "unknown_path"
	codeMethodNotAllowed    = "method_not_allowed"
	codeInvalidTransition   = "invalid_transition"
	codeClosed              = "closed"
	codeConflict            = "conflict"
	codeTooLarge            = "body_too_large"
	codeUnsupportedMedia    = "unsupported_media_type"
	codeIdempotencyMismatch = "idempotency_key_reused"
	codeInternal            = "internal"
)

// errorBody is the JSON of every error response.
type errorBody struct {
	Error  string `json:"error"`
	Reason string `json:"reason"`
}

// internalError is all a caller learns of a server-side failure.
var internalError = errorBody{Error: codeInternal, Reason: "internal error"}

// apiError is a failure the API detected itself, with its answer.
type apiError struct {
	status int
	code   string
	reason string
}

func (e *apiError) Error() string { return e.code + ": " + e.reason }

// badRequest is a 400 with a reason for the caller.
func badRequest(reason string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: codeBadRequest, reason: reason}
}

// notFound turns ErrNotFound into a 404 that names what is missing.
func notFound(err error, what, id string) error {
	if !errors.Is(err, ErrNotFound) {
		return err
	}
	return &apiError{status: http.StatusNotFound, code: codeNotFound,
		reason: what + " " + id + " does not exist"}
}

// answer is the one place that maps an error to a status and body.
func answer(err error) (int, errorBody) {
	var ae *apiError
	var te *TransitionError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &ae):
		return ae.status, errorBody{Error: ae.code, Reason: ae.reason}
	case errors.As(err, &te):
		return http.StatusConflict, errorBody{Error: codeInvalidTransition, Reason: te.Error()}
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge, errorBody{Error: codeTooLarge,
			Reason: "the request body is larger than the API accepts"}
	case errors.Is(err, ErrInvalid):
		return http.StatusBadRequest, errorBody{Error: codeBadRequest, Reason: cause(err, ErrInvalid)}
	case errors.Is(err, ErrClosed):
		return http.StatusConflict, errorBody{Error: codeClosed, Reason: cause(err, ErrClosed)}
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound, errorBody{Error: codeNotFound, Reason: "the record does not exist"}
	case errors.Is(err, ErrConflict):
		return http.StatusConflict, errorBody{Error: codeConflict,
			Reason: "the record changed at the same time; try again"}
	}
	return http.StatusInternalServerError, internalError
}

// cause is the rule's own sentence from an error that wraps sentinel as
// "sentinel: sentence".
func cause(err, sentinel error) string {
	msg := err.Error()
	if i := strings.Index(msg, sentinel.Error()+": "); i >= 0 {
		return msg[i+len(sentinel.Error())+2:]
	}
	return msg
}

// fail answers a request with the error's status and body. Server-side
// failures are logged with the route only; the caller learns nothing of
// them.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, body := answer(err)
	if status >= http.StatusInternalServerError {
		a.log.Error("api request failed", "method", r.Method, "route", r.Pattern,
			"id", r.PathValue("id"), "error", err)
	}
	a.write(w, status, body)
}

// write sends v as JSON with the status.
func (a *api) write(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		a.log.Error("api response not encodable", "error", err)
		status = http.StatusInternalServerError
		body, _ = json.Marshal(internalError)
	}
	a.writeRaw(w, status, body)
}

// writeRaw sends an encoded JSON body with the status.
func (a *api) writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// recover turns a panic in a handler into a 500 without details, logging
// only the route.
func (a *api) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			a.log.Error("api handler panicked", "method", r.Method, "route", r.Pattern)
			a.write(w, http.StatusInternalServerError, internalError)
		}()
		next.ServeHTTP(w, r)
	})
}
