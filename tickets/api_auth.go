package tickets

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"
)

// Token is a bearer token the API accepts.
type Token struct {
	// Name identifies the caller, such as crm or backoffice; it is the
	// actor in ticket history and scopes idempotency keys.
	Name string
	// Secret is the token itself. It is never logged or echoed.
	Secret string
}

// String names the token without its secret.
func (t Token) String() string { return t.Name + ":<secret>" }

// GoString hides the secret from %#v.
func (t Token) GoString() string { return t.String() }

// LogValue hides the secret from slog.
func (t Token) LogValue() slog.Value { return slog.StringValue(t.String()) }

// authenticator checks bearer tokens. It keeps only digests of the
// secrets, so comparisons take the same time whatever their lengths.
type authenticator struct {
	names   []string
	digests [][sha256.Size]byte
}

// newAuthenticator keeps the usable tokens; one without a name or secret
// would let anyone in or record nobody, so it is dropped with a warning.
func newAuthenticator(tokens []Token, log *slog.Logger) *authenticator {
	a := &authenticator{}
	for i, t := range tokens {
		if t.Name == "" || t.Secret == "" {
			log.Warn("api token ignored: it needs a name and a secret", "index", i)
			continue
		}
		a.names = append(a.names, t.Name)
		a.digests = append(a.digests, sha256.Sum256([]byte(t.Secret)))
	}
	return a
}

// check returns the name of the token the request carries. Every
// configured token is compared, so the time taken does not tell which one
// came close.
func (a *authenticator) check(r *http.Request) (string, bool) {
	secret, ok := bearer(r.Header.Get("Authorization"))
	if !ok {
		return "", false
	}
	got := sha256.Sum256([]byte(secret))

	match := -1
	for i, d := range a.digests {
		if subtle.ConstantTimeCompare(got[:], d[:]) == 1 {
			match = i
		}
	}
	if match < 0 {
		return "", false
	}
	return a.names[match], true
}

// bearer takes the token out of an Authorization header; the scheme is
// case-insensitive.
func bearer(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// unauthorized answers a request without a valid token.
func (a *api) unauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="hotline"`)
	a.write(w, http.StatusUnauthorized, errorBody{Error: codeUnauthorized,
		Reason: "a valid bearer token is required in the Authorization header"})
}

// actorKey keys the caller's name in a request context.
type actorKey struct{}

func withActor(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, actorKey{}, name)
}

// actor is the name of the token the request came with.
func actor(r *http.Request) string {
	name, _ := r.Context().Value(actorKey{}).(string)
	return name
}

// Bearer checks a request's bearer token against the API's tokens, for
// other endpoints of the gateway that the back office's tokens may read
// (the reports).
type Bearer struct {
	auth *authenticator
}

// NewBearer keeps the usable tokens, as the API does.
func NewBearer(tokens []Token, log *slog.Logger) *Bearer {
	return &Bearer{auth: newAuthenticator(tokens, log)}
}

// Check returns the name of the token the request carries, and false
// when it carries none of them.
func (b *Bearer) Check(r *http.Request) (string, bool) { return b.auth.check(r) }
