package tickets

import (
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"time"
)

// APIConfig is what the back-office REST API needs.
type APIConfig struct {
	// Service applies the ticket rules.
	Service *Service
	// Tokens are the bearer tokens the API accepts. A token's name is the
	// actor recorded in ticket history.
	Tokens []Token
	// Log receives logs with ids only, never personal data or tokens.
	Log *slog.Logger
	// MaxBody bounds a request body in bytes; zero means 64 KiB.
	MaxBody int64
	// RatePerSecond limits each token's requests, with RateBurst at once;
	// a request over it is answered 429 with Retry-After. Zero means no
	// limit.
	RatePerSecond float64
	// RateBurst: see RatePerSecond.
	RateBurst int
	// Now is the clock of the rate limit; nil means time.Now.
	Now func() time.Time
}

// defaultMaxBody is the request body bound when none is configured.
const defaultMaxBody = 64 << 10

// apiPrefix is where the API lives; every route starts with it.
const apiPrefix = "/api/v1"

// api serves the back office's REST API.
type api struct {
	svc     *Service
	auth    *authenticator
	log     *slog.Logger
	maxBody int64
	mux     *http.ServeMux
	limits  *tokenLimits // nil: no rate limit
}

// NewAPI returns the back office's REST API. Its routes carry their full
// paths under /api/v1, so the handler is mounted at the server's root (or
// at /api/v1/ without stripping the prefix). Every route but the OpenAPI
// document requires a bearer token from c.Tokens.
func NewAPI(c APIConfig) http.Handler {
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.MaxBody <= 0 {
		c.MaxBody = defaultMaxBody
	}
	a := &api{
		svc:     c.Service,
		log:     c.Log.With("component", "ticket-api"),
		maxBody: c.MaxBody,
		mux:     http.NewServeMux(),
	}
	a.auth = newAuthenticator(c.Tokens, a.log)
	if c.Now == nil {
		c.Now = time.Now
	}
	a.limits = newTokenLimits(c.RatePerSecond, c.RateBurst, c.Now)

	for _, rt := range apiRoutes {
		a.mux.Handle(rt.Method+" "+rt.Path, a.wrap(rt))
	}
	// Anything no route matches gets a JSON 404 or 405, after the same
	// authentication, so the API's shape is not shown to strangers.
	a.mux.Handle("/", a.wrap(apiRoute{serve: (*api).unrouted}))
	return a.recover(a.mux)
}

// wrap puts authentication and the body bound in front of a route.
func (a *api) wrap(rt apiRoute) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, a.maxBody)
		}
		if !rt.public {
			name, ok := a.auth.check(r)
			if !ok {
				a.log.Debug("api request without a valid token", "method", r.Method, "route", rt.Path)
				a.unauthorized(w)
				return
			}
			if wait, ok := a.limits.take(name); !ok {
				a.log.Debug("api request over its token's rate", "actor", name, "route", rt.Path)
				a.rateLimited(w, wait)
				return
			}
			r = r.WithContext(withActor(r.Context(), name))
		}
		if strings.IndexByte(r.URL.Path, 0) >= 0 || holdsNUL(reflect.ValueOf(r.URL.Query())) {
			// An id or a filter with a NUL cannot be looked up in
			// PostgreSQL, which refuses it in text.
			a.fail(w, r, badRequest("the path and query must not contain NUL characters"))
			return
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		rt.serve(a, sw, r)
		a.audit(r, rt, sw.status)
	})
}

// audit records who read or changed what: the caller, the route, the
// ticket or outage id and the answer's status. The query string is left
// out, as its filters may hold a phone number.
func (a *api) audit(r *http.Request, rt apiRoute, status int) {
	if rt.public || rt.Path == "" {
		return
	}
	a.log.Info("api access", "actor", actor(r), "method", r.Method, "route", rt.Path,
		"id", r.PathValue("id"), "status", status)
}

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status and passes it on.
func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// unrouted answers a request no route matches: 405 with the allowed
// methods when the path exists, 404 otherwise.
func (a *api) unrouted(w http.ResponseWriter, r *http.Request) {
	allowed := a.allowedMethods(r)
	if len(allowed) == 0 {
		a.fail(w, r, &apiError{status: http.StatusNotFound, code: codeUnknownPath,
			reason: "there is no such endpoint; see /api/v1/openapi.yaml"})
		return
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	a.fail(w, r, &apiError{status: http.StatusMethodNotAllowed, code: codeMethodNotAllowed,
		reason: r.Method + " is not allowed here; allowed: " + strings.Join(allowed, ", ")})
}

// allowedMethods asks the mux which route methods match the request's
// path.
func (a *api) allowedMethods(r *http.Request) []string {
	var allowed []string
	seen := map[string]bool{}
	for _, rt := range apiRoutes {
		if seen[rt.Method] {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = rt.Method
		if _, pattern := a.mux.Handler(probe); pattern != "/" && pattern != "" {
			allowed = append(allowed, rt.Method)
			seen[rt.Method] = true
		}
	}
	return allowed
}
