package console

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"hotline/handoff"
	"hotline/tickets"
)

//go:embed static
var staticFiles embed.FS

// Server is the agent console: its page, sign-in endpoints, socket and
// the desk loop.
type Server struct {
	cfg    Config
	log    *slog.Logger
	hub    *hub
	limits *signinLimits
	kick   chan struct{}
	loop   loopState // the desk loop's memory; Run only
	origin string    // this instance, in what it relays
}

// Defaults for the zero fields of Config.
const (
	defaultTick            = time.Second
	defaultTranscriptLimit = 200
)

// New builds a console. It returns an error when a part it cannot work
// without is missing.
func New(c Config) (*Server, error) {
	switch {
	case c.Desk == nil || c.Sessions == nil || c.Accounts == nil:
		return nil, errors.New("console needs a desk, accounts and sessions")
	case c.Engine == nil || c.Notes == nil || c.Audit == nil:
		return nil, errors.New("console needs the engine, a note store and an audit log")
	case len(c.WrapCodes) == 0:
		return nil, errors.New("console needs at least one wrap-up code")
	}
	if c.Tick <= 0 {
		c.Tick = defaultTick
	}
	if c.PresenceEvery <= 0 {
		c.PresenceEvery = 5 * time.Second
	}
	if c.TranscriptLimit <= 0 {
		c.TranscriptLimit = defaultTranscriptLimit
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return &Server{cfg: c, log: c.Log, hub: newHub(), limits: newSigninLimits(c.Now),
		kick: make(chan struct{}, 1), loop: newLoopState(), origin: newOrigin()}, nil
}

func (s *Server) now() time.Time { return s.cfg.Now() }

// Routes adds the console's page, endpoints and socket to mux.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.Handle("GET /agent/", staticHandler())
	mux.HandleFunc("GET /agent", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/agent/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("POST /agent/api/signin", s.signIn)
	mux.HandleFunc("GET /agent/api/me", s.me)
	mux.HandleFunc("POST /agent/api/signout", s.signOut)
	mux.HandleFunc("GET /agent/ws", s.serveSocket)
	// Without this, a GET of a POST endpoint or of an unknown endpoint
	// would fall to the page's file server.
	mux.HandleFunc("GET /agent/api/", unknownEndpoint)
}

// postEndpoints are the console's endpoints that take only POST.
var postEndpoints = map[string]bool{"/agent/api/signin": true, "/agent/api/signout": true}

// unknownEndpoint answers a GET under /agent/api/ that no endpoint takes:
// 405 for an endpoint that takes POST, 404 otherwise.
func unknownEndpoint(w http.ResponseWriter, r *http.Request) {
	if postEndpoints[r.URL.Path] {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "this endpoint takes POST")
		return
	}
	writeError(w, http.StatusNotFound, "not_found", "no such console endpoint; see docs/agent-console-protocol.md")
}

// contentSecurityPolicy lets the console load its own script, style and
// images and open its own socket ('self' covers ws: and wss: to the same
// host), and nothing else: no inline script or style, no plugins, no
// <base> change, no form posting elsewhere, no framing at all.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// staticHandler serves the embedded page with headers that keep it from
// loading anything but its own files.
func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		// The folder is embedded at build time; without it the build fails.
		return http.NotFoundHandler()
	}
	files := http.StripPrefix("/agent/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

// Kick wakes the desk loop, for example after a conversation joined the
// queue.
func (s *Server) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Connections returns how many console sockets are open on this
// instance.
func (s *Server) Connections() int { return s.hub.count() }

// opened registers a socket: the agent is on the desk, connected, and is
// sent the state of everything they see.
func (s *Server) opened(ctx context.Context, c *conn) {
	first := s.hub.add(c)
	s.keepPresent(ctx, []string{c.agent.ID})
	a, err := s.cfg.Desk.Register(ctx, c.agent.Profile())
	if err == nil && first {
		a, err = s.cfg.Desk.Reconnect(ctx, c.agent.ID)
	}
	if err != nil {
		s.log.Error("console: agent not on the desk", "agent", c.agent.ID, "err", err)
	}
	c.sendFrame(s.welcome(c.agent, a))
	s.sendQueue(ctx, []*conn{c})
	s.sendAgents(ctx, []*conn{c})
	for _, id := range a.Conversations {
		if v, err := s.view(ctx, id); err == nil {
			c.sendFrame(map[string]any{"type": "assigned", "view": v})
		}
	}
	s.Kick()
}

// closed forgets a socket; the agent's last one going starts their grace
// period on the desk.
func (s *Server) closed(c *conn) {
	if !s.hub.remove(c) {
		return
	}
	if _, err := s.cfg.Desk.Disconnect(context.Background(), c.agent.ID); err != nil {
		s.log.Error("console: disconnect not recorded", "agent", c.agent.ID, "err", err)
	}
	s.Kick()
}

// welcome is the first frame of a socket.
func (s *Server) welcome(acc handoff.Account, a handoff.Agent) map[string]any {
	me := deskAgentFrame(a)
	me.Role = string(acc.Role)
	kinds := tickets.Kinds()
	return map[string]any{
		"type": "welcome", "agent": me, "groups": nonNil(s.cfg.Groups),
		"wrap_codes": s.cfg.WrapCodes, "canned": nonNilCanned(s.cfg.Canned),
		"ticket_kinds": kinds, "categories": nonNilLabels(s.cfg.Categories),
		"tickets": s.cfg.Tickets != nil,
	}
}

func nonNilCanned(c []Canned) []Canned {
	if c == nil {
		return []Canned{}
	}
	return c
}

func nonNilLabels(l []Label) []Label {
	if l == nil {
		return []Label{}
	}
	return l
}

// Shutdown closes every console socket with a "service restart" close
// frame, so consoles reconnect to the gateway when it is back. The
// agents keep their conversations for the grace period.
func (s *Server) Shutdown() {
	msg := websocket.FormatCloseMessage(websocket.CloseServiceRestart, "restarting")
	for _, c := range s.hub.all() {
		_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		c.close()
	}
}
