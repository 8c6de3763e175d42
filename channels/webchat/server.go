package webchat

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"hotline/channels"
	"hotline/dialog"
)

// Name is the web chat channel's name in conversations and the outbox.
const Name = "webchat"

// History is what the channel reads from the transcript to resume a
// session. The dialog store implements it.
type History interface {
	FindConversation(ctx context.Context, channel, address string) (dialog.Conversation, error)
	MessageSeq(ctx context.Context, conversationID, messageID string) (int64, error)
	MessagesAfter(ctx context.Context, conversationID string, afterSeq int64, limit int) ([]dialog.Message, error)
}

// Texts gives the polite texts for error frames, by key and language.
type Texts interface {
	Text(key, lang string) string
}

// Config is what the channel needs.
type Config struct {
	// Receiver takes the subscribers' messages (the dialog engine).
	Receiver channels.Receiver
	// History is the transcript that resuming sessions replay.
	History History
	// Texts are the polite texts of error frames.
	Texts Texts
	// Log receives the channel's logs; they never hold message text.
	Log *slog.Logger
	// AllowedOrigins may open the socket besides the page's own origin;
	// "*" allows any.
	AllowedOrigins []string
	// ReadLimit is the largest frame accepted, in bytes; a larger one
	// closes the connection with code 1009.
	ReadLimit int64
	// MaxTextRunes is the longest message text accepted.
	MaxTextRunes int
	// RatePerSecond and RateBurst limit each connection's messages.
	RatePerSecond float64
	// RateBurst is how many messages may come at once.
	RateBurst int
	// PingInterval is how often the server pings; a client silent for two
	// intervals is dropped.
	PingInterval time.Duration
	// WriteTimeout bounds each write to a client.
	WriteTimeout time.Duration
	// HistoryLimit caps how many messages a resume replays, and a
	// catch-up writes to an open socket from one transcript read.
	HistoryLimit int
	// Relay, when set, carries messages for sessions whose socket another
	// gateway instance holds; nil when this is the only instance.
	Relay Relay
	// MaxConnsPerIP caps the sockets open at once from one client address
	// on this instance; a connection over it is refused with 429. Zero
	// means no cap (behind a proxy every client has the proxy's address).
	MaxConnsPerIP int
}

// Channel is the web chat channel. It implements channels.Channel.
type Channel struct {
	cfg      Config
	log      *slog.Logger
	hub      *hub
	upgrader websocket.Upgrader
	closing  atomic.Bool
	mu       sync.Mutex // orders new connections against Shutdown
	wg       sync.WaitGroup
	slots    chan struct{} // transcript reads of catch-ups under way
	perIP    ipCounts      // open sockets by client address
}

var _ channels.Channel = (*Channel)(nil)

// New builds the channel.
func New(cfg Config) *Channel {
	c := &Channel{cfg: cfg, log: cfg.Log, hub: newHub(),
		slots: make(chan struct{}, catchUpWorkers), perIP: ipCounts{n: map[string]int{}}}
	c.upgrader = websocket.Upgrader{
		// Small buffers and a shared write pool keep an idle connection
		// cheap; message size is limited separately by ReadLimit.
		ReadBufferSize:   1024,
		WriteBufferSize:  1024,
		WriteBufferPool:  &sync.Pool{},
		HandshakeTimeout: 10 * time.Second,
		CheckOrigin:      c.originAllowed,
	}
	return c
}

// Name returns "webchat".
func (c *Channel) Name() string { return Name }

// Routes adds the websocket and the page to mux.
func (c *Channel) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /chat/ws", c.serveWS)
	mux.Handle("GET /", staticHandler())
}

// Connections returns the number of open websockets.
func (c *Channel) Connections() int { return c.hub.count() }

// originAllowed accepts requests without an Origin header (not from a
// browser), the page's own origin, and the configured origins.
func (c *Channel) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err == nil && strings.EqualFold(u.Host, r.Host) {
		return true
	}
	origin = strings.TrimSuffix(origin, "/")
	return slices.Contains(c.cfg.AllowedOrigins, "*") ||
		slices.ContainsFunc(c.cfg.AllowedOrigins, func(o string) bool {
			return strings.EqualFold(strings.TrimSuffix(o, "/"), origin)
		})
}

func (c *Channel) serveWS(w http.ResponseWriter, r *http.Request) {
	if c.closing.Load() {
		w.Header().Set("Retry-After", "2")
		http.Error(w, "server restarting, reconnect shortly", http.StatusServiceUnavailable)
		return
	}
	if !c.originAllowed(r) {
		c.log.Warn("web chat connection refused: origin not allowed")
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}

	ip := remoteIP(r)
	if !c.perIP.take(ip, c.cfg.MaxConnsPerIP) {
		c.log.Warn("web chat connection refused: too many from one address")
		w.Header().Set("Retry-After", "30")
		http.Error(w, "too many chat connections from this address; close another chat window or try again later",
			http.StatusTooManyRequests)
		return
	}

	ws, err := c.upgrader.Upgrade(w, r, nil)
	if err != nil {
		// Upgrade has already answered with a 4xx saying why.
		c.perIP.give(ip)
		c.log.Debug("web chat upgrade failed", "error", err)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing.Load() {
		c.perIP.give(ip)
		_ = ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseServiceRestart, "server restarting"),
			time.Now().Add(time.Second))
		_ = ws.Close()
		return
	}
	cn := newConn(c, ws)
	cn.ip = ip
	c.hub.add(cn)
	c.wg.Add(2)
	go cn.writePump()
	go cn.readPump()
}

// Send delivers an outbound message to every live connection of its
// session, in transcript order: a connection that has not had the
// messages before it holds it until they come or it has read them from
// the transcript. It returns
// channels.ErrNotConnected when there is no connection here; the client
// then gets the message from the transcript when it resumes, and, with a
// relay, at once from the instance that holds its socket.
func (c *Channel) Send(ctx context.Context, m channels.Outbound) error {
	conns := c.hub.sessionConns(m.Address)
	frame := outboundFrame(m)
	if len(conns) == 0 {
		if c.cfg.Relay != nil {
			c.relay(ctx, m, frame)
		}
		return channels.ErrNotConnected
	}
	delivered := false
	for _, cn := range conns {
		if cn.offer(m.ConversationID, m.Seq, frame) {
			delivered = true
		}
	}
	if !delivered {
		return channels.ErrNotConnected
	}
	return nil
}

// Shutdown refuses new connections, asks every client to reconnect later
// (close code 1012) and waits until they are gone or ctx ends, then drops
// the rest.
func (c *Channel) Shutdown(ctx context.Context) error {
	c.mu.Lock()
	c.closing.Store(true)
	c.mu.Unlock()
	for _, cn := range c.hub.snapshot() {
		cn.closeWith(websocket.CloseServiceRestart, "server restarting")
	}

	done := make(chan struct{})
	go func() { c.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		for _, cn := range c.hub.snapshot() {
			_ = cn.ws.Close()
		}
		<-done
		return errors.New("web chat: connections did not close in time; dropped")
	}
}

// remoteIP is the client's address without the port.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ipCounts counts the open sockets of each client address.
type ipCounts struct {
	mu sync.Mutex
	n  map[string]int
}

// take counts one more socket for ip, unless it already has limit of
// them; a limit of zero or less takes always.
func (c *ipCounts) take(ip string, limit int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if limit > 0 && c.n[ip] >= limit {
		return false
	}
	c.n[ip]++
	return true
}

// give counts one socket of ip as closed.
func (c *ipCounts) give(ip string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[ip] <= 1 {
		delete(c.n, ip)
		return
	}
	c.n[ip]--
}
