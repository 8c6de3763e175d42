package console

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"hotline/handoff"
)

// cookieName holds the session token in the browser.
const cookieName = "hotline_agent"

// signinBody is what the sign-in form posts.
type signinBody struct {
	Name     string `json:"name"`
	Password string `json:"password"`
}

// maxSigninBody bounds the sign-in request.
const maxSigninBody = 4 << 10

// signIn checks a name and password and sets the session cookie.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	ip := clientIP(r)
	if wait, ok := s.signinAllowed(r.Context(), ip); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": "too_many_attempts",
			"message":     "登录失败次数过多，请稍后再试。 Too many failed sign-ins; try again later.",
			"retry_after": int(wait.Seconds()) + 1})
		return
	}
	// A JSON body from the console's own origin only: another site's form
	// cannot send JSON without asking the browser first, nor claim this
	// origin, so it cannot sign a browser in to an account it chose.
	if !s.originAllowed(r) {
		writeError(w, http.StatusForbidden, "bad_origin", "只能从坐席台页面登录。 Sign in from the console's page.")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "bad_request",
			`请求应为 {"name": "…", "password": "…"} 的 JSON。 Send JSON {"name", "password"} as application/json.`)
		return
	}
	var body signinBody
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxSigninBody))
	if err := dec.Decode(&body); err != nil || body.Name == "" || body.Password == "" {
		writeError(w, http.StatusBadRequest, "bad_request",
			`请求应为 {"name": "…", "password": "…"} 的 JSON。 Send JSON {"name", "password"}.`)
		return
	}

	tok, err := s.cfg.Sessions.SignIn(r.Context(), strings.TrimSpace(body.Name), body.Password)
	if errors.Is(err, handoff.ErrBadCredentials) {
		s.signinFailed(r.Context(), ip)
		writeError(w, http.StatusUnauthorized, "bad_credentials",
			"用户名或密码不正确。 Wrong name or password.")
		return
	}
	if err != nil {
		s.log.Error("console: sign-in failed", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "登录暂时不可用。 Sign-in is unavailable.")
		return
	}
	acc, err := s.cfg.Sessions.Check(r.Context(), tok)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", "登录暂时不可用。 Sign-in is unavailable.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: tok.Reveal(), Path: "/",
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	writeJSON(w, http.StatusOK, map[string]any{"agent": accountFrame(acc)})
}

// me answers whether the browser's session is valid, and whose it is.
func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	acc, _, ok := s.session(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"agent": accountFrame(acc)})
}

// signOut ends the session, clears the cookie and says bye on its sockets.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(cookieName); err == nil && ck.Value != "" {
		tok := handoff.Token(ck.Value)
		if err := s.cfg.Sessions.SignOut(r.Context(), tok); err != nil &&
			!errors.Is(err, handoff.ErrNoSession) {
			s.log.Error("console: sign-out failed", "err", err)
		}
		for _, c := range s.hub.all() {
			if c.token == tok {
				c.bye("signed_out")
			}
		}
		s.publish(relayed{Kind: signOutKind, To: tokenDigest(tok)})
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	w.WriteHeader(http.StatusNoContent)
}

// session returns the account of the request's session, or answers 401.
func (s *Server) session(w http.ResponseWriter, r *http.Request) (handoff.Account, handoff.Token, bool) {
	ck, err := r.Cookie(cookieName)
	if err != nil || ck.Value == "" {
		writeError(w, http.StatusUnauthorized, "no_session", "请先登录。 Please sign in.")
		return handoff.Account{}, "", false
	}
	tok := handoff.Token(ck.Value)
	acc, err := s.cfg.Sessions.Check(r.Context(), tok)
	if errors.Is(err, handoff.ErrNoSession) {
		writeError(w, http.StatusUnauthorized, "no_session", "登录已过期，请重新登录。 Please sign in again.")
		return handoff.Account{}, "", false
	}
	if err != nil {
		s.log.Error("console: session check failed", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "暂时不可用。 Unavailable.")
		return handoff.Account{}, "", false
	}
	return acc, tok, true
}

// clientIP is the address a sign-in came from, without the port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]string{"error": code, "message": message})
}

// Sign-in throttling: after signinFailures failures from one address
// within signinWindow, that address waits out the rest of the window.
const (
	signinFailures = 5
	signinWindow   = time.Minute
)

// Counter counts failed sign-ins of all gateway instances by address, so
// the throttle holds for the deployment, not per instance.
type Counter interface {
	// Add counts one event under key and returns the count in the key's
	// window and how long the window has left.
	Add(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error)
	// Get returns the count in the key's window and how long it has left.
	Get(ctx context.Context, key string) (int64, time.Duration, error)
}

// failuresKey names an address in the shared counter by a digest of it.
func failuresKey(ip string) string {
	sum := sha256.Sum256([]byte(ip))
	return "signin-failures:" + hex.EncodeToString(sum[:12])
}

// signinAllowed reports whether the address may try, or how long it must
// wait: by the shared counter when there is one and it answers, by this
// instance's own count otherwise.
func (s *Server) signinAllowed(ctx context.Context, ip string) (time.Duration, bool) {
	if s.cfg.Failures != nil {
		if n, left, err := s.cfg.Failures.Get(ctx, failuresKey(ip)); err == nil {
			return left, n < signinFailures
		}
	}
	return s.limits.allowed(ip)
}

// signinFailed counts a failed sign-in, in the shared counter too.
func (s *Server) signinFailed(ctx context.Context, ip string) {
	s.limits.failed(ip)
	if s.cfg.Failures != nil {
		if _, _, err := s.cfg.Failures.Add(ctx, failuresKey(ip), signinWindow); err != nil {
			s.log.Warn("console: failed sign-in not counted for all instances", "err", err)
		}
	}
}

// signinLimits counts failed sign-ins by address.
type signinLimits struct {
	mu    sync.Mutex
	now   func() time.Time
	fails map[string][]time.Time
}

func newSigninLimits(now func() time.Time) *signinLimits {
	return &signinLimits{now: now, fails: map[string][]time.Time{}}
}

// allowed reports whether the address may try, or how long it must wait.
func (l *signinLimits) allowed(ip string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.recent(ip)
	if len(recent) < signinFailures {
		return 0, true
	}
	return recent[0].Add(signinWindow).Sub(l.now()), false
}

// failed counts a failure.
func (l *signinLimits) failed(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[ip] = append(l.recent(ip), l.now())
	if len(l.fails) > 10_000 {
		l.prune()
	}
}

// recent returns the address's failures within the window.
func (l *signinLimits) recent(ip string) []time.Time {
	cut := l.now().Add(-signinWindow)
	ts := l.fails[ip]
	for len(ts) > 0 && !ts[0].After(cut) {
		ts = ts[1:]
	}
	if len(ts) == 0 {
		delete(l.fails, ip)
		return nil
	}
	l.fails[ip] = ts
	return ts
}

// prune drops addresses with no recent failure, to bound the memory.
func (l *signinLimits) prune() {
	for ip := range l.fails {
		l.recent(ip)
	}
}

// ErrNoSignIn is returned by Account for a request without a valid
// session.
var ErrNoSignIn = errors.New("console: not signed in")

// Account returns the account signed in on the request's session cookie,
// for other pages of the gateway that the console's accounts may use
// (the supervisors' dashboard). It returns ErrNoSignIn when the request
// has no valid session, and another error when the session store could
// not be asked.
func (s *Server) Account(r *http.Request) (handoff.Account, error) {
	ck, err := r.Cookie(cookieName)
	if err != nil || ck.Value == "" {
		return handoff.Account{}, ErrNoSignIn
	}
	acc, err := s.cfg.Sessions.Check(r.Context(), handoff.Token(ck.Value))
	if errors.Is(err, handoff.ErrNoSession) {
		return handoff.Account{}, ErrNoSignIn
	}
	return acc, err
}
