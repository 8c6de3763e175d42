package reports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"hotline/dialog"
)

// PathPrefix is where the reports API answers.
const PathPrefix = "/api/v1/reports/"

// MaxDays is the longest period one request may ask for.
const MaxDays = 731

// Access decides who may read the reports.
type Access interface {
	// Reader returns a name for who is asking, ErrUnauthenticated when
	// the request carries no valid credential, or ErrForbidden when it
	// does but may not read reports.
	Reader(r *http.Request) (string, error)
}

// Errors an Access returns.
var (
	// ErrUnauthenticated is a request without a valid credential.
	ErrUnauthenticated = errors.New("no valid credential")
	// ErrForbidden is a credential that may not read reports.
	ErrForbidden = errors.New("not allowed to read reports")
)

// AgentNames maps agent ids to display names.
type AgentNames interface {
	// AgentNames returns every agent's display name by id.
	AgentNames(ctx context.Context) (map[string]string, error)
}

// Unanswered is where the questions the bot could not answer are kept.
type Unanswered interface {
	// UnansweredBetween returns up to limit questions asked at or after
	// from and before to, newest first.
	UnansweredBetween(ctx context.Context, from, to time.Time, limit int) ([]dialog.Unanswered, error)
}

// Config wires the API.
type Config struct {
	// Days reads the daily figures; Live and Desk the state now (Desk
	// may be nil without an agent desk).
	Days *Days
	// Live: see Days.
	Live LiveSource
	// Desk: see Days.
	Desk Desk
	// Access checks credentials.
	Access Access
	// Names gives agents' display names; it may be nil.
	Names AgentNames
	// Unanswered feeds the knowledge base's gaps; it may be nil.
	Unanswered Unanswered
	// OpenWindow is how recent a conversation's activity must be to count
	// as open (the dialog's idle timeout).
	OpenWindow time.Duration
	// Now is the clock; Log the logger.
	Now func() time.Time
	// Log: see Now.
	Log *slog.Logger
}

// API serves the reports under PathPrefix.
type API struct {
	cfg Config
	mux *http.ServeMux

	gapLimit int // the most questions one gaps report groups
}

// NewAPI builds the reports API.
func NewAPI(cfg Config) *API {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	a := &API{cfg: cfg, mux: http.NewServeMux(), gapLimit: MaxGapQuestions}
	a.mux.HandleFunc("GET "+PathPrefix+"summary", a.summary)
	a.mux.HandleFunc("GET "+PathPrefix+"daily", a.daily)
	a.mux.HandleFunc("GET "+PathPrefix+"channels", a.channels)
	a.mux.HandleFunc("GET "+PathPrefix+"tickets", a.tickets)
	a.mux.HandleFunc("GET "+PathPrefix+"satisfaction", a.satisfaction)
	a.mux.HandleFunc("GET "+PathPrefix+"gaps", a.gaps)
	a.mux.HandleFunc("GET "+PathPrefix+"live", a.live)
	return a
}

// ServeHTTP checks the credential, then answers the report asked for.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if _, err := a.cfg.Access.Reader(r); err != nil {
		a.refuse(w, err)
		return
	}
	h, pattern := a.mux.Handler(r)
	if pattern == "" {
		status, code := http.StatusNotFound, "not_found"
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			status, code = http.StatusMethodNotAllowed, "method_not_allowed"
			w.Header().Set("Allow", "GET")
		}
		writeError(w, status, code, "see docs/reports.md for the reports and their methods")
		return
	}
	h.ServeHTTP(w, r)
}

func (a *API) refuse(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, ErrForbidden):
		writeError(w, http.StatusForbidden, "forbidden", "reports are for supervisors and the back office's tokens")
	case errors.Is(err, ErrUnauthenticated):
		w.Header().Set("WWW-Authenticate", `Bearer realm="hotline"`)
		writeError(w, http.StatusUnauthorized, "unauthorized",
			"sign in as a supervisor or send a back-office bearer token")
	default:
		a.cfg.Log.Error("reports: credential check failed", "error", err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "try again shortly")
	}
}

// period reads the from and to days of a request: by default the 30 days
// up to today.
func (a *API) period(r *http.Request) (time.Time, time.Time, error) {
	loc := a.cfg.Days.Location()
	today := midnight(a.cfg.Now().In(loc))
	to, err := dateParam(r, "to", today, loc)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	from, err := dateParam(r, "from", to.AddDate(0, 0, -29), loc)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	switch {
	case from.After(to):
		return from, to, errors.New("from is after to")
	case to.Sub(from) > (MaxDays-1)*24*time.Hour+time.Hour: // an hour for a DST change
		return from, to, fmt.Errorf("a period may be at most %d days", MaxDays)
	}
	return from, to, nil
}

func dateParam(r *http.Request, name string, def time.Time, loc *time.Location) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: want a date as YYYY-MM-DD, got %q", name, v)
	}
	return t, nil
}

// load reads the period's summary, answering the error itself.
func (a *API) load(w http.ResponseWriter, r *http.Request) (Summary, bool) {
	from, to, err := a.period(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_period", err.Error())
		return Summary{}, false
	}
	days, err := a.cfg.Days.Range(r.Context(), from, to)
	if err != nil {
		a.failed(w, "figures", err)
		return Summary{}, false
	}
	var names map[string]string
	if a.cfg.Names != nil {
		if names, err = a.cfg.Names.AgentNames(r.Context()); err != nil {
			a.failed(w, "agent names", err)
			return Summary{}, false
		}
	}
	s := Summarize(days, a.cfg.Days.Location(), names)
	s.From, s.To = from.Format(time.DateOnly), to.Format(time.DateOnly)
	return s, true
}

func (a *API) failed(w http.ResponseWriter, what string, err error) {
	a.cfg.Log.Error("reports: read failed", "what", what, "error", err)
	writeError(w, http.StatusServiceUnavailable, "unavailable", "the figures cannot be read now; try again shortly")
}

func (a *API) summary(w http.ResponseWriter, r *http.Request) {
	if s, ok := a.load(w, r); ok {
		writeJSON(w, s)
	}
}

func (a *API) live(w http.ResponseWriter, r *http.Request) {
	l, err := ReadLive(r.Context(), a.cfg.Desk, a.cfg.Live, a.cfg.OpenWindow, a.cfg.Now())
	if err != nil {
		a.failed(w, "live state", err)
		return
	}
	writeJSON(w, l)
}

// wantsCSV reports whether the request asks for CSV (format=csv or an
// Accept of text/csv); another format is an error.
func wantsCSV(w http.ResponseWriter, r *http.Request) (csv, ok bool) {
	switch f := r.URL.Query().Get("format"); f {
	case "csv":
		return true, true
	case "json":
		return false, true
	case "":
		return strings.Contains(r.Header.Get("Accept"), "text/csv"), true
	default:
		writeError(w, http.StatusBadRequest, "bad_format", fmt.Sprintf("format: want json or csv, got %q", f))
		return false, false
	}
}

type errorBody struct {
	Error  string `json:"error"`
	Reason string `json:"reason"`
}

func writeError(w http.ResponseWriter, status int, code, reason string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody{Error: code, Reason: reason})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
