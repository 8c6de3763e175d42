package console

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"hotline/handoff"
)

// Socket limits; see docs/agent-console-protocol.md.
const (
	readLimit    = 16 << 10
	pingEvery    = 30 * time.Second
	pongWait     = pingEvery + 10*time.Second
	writeTimeout = 10 * time.Second
	outQueue     = 256
	checkEvery   = 15 * time.Second
	laneIdle     = 30 * time.Second
	laneQueue    = 64
	frameRate    = 20 // frames per second, with a burst of twice that
)

// conn is one open console socket of a signed-in agent.
type conn struct {
	srv   *Server
	ws    *websocket.Conn
	agent handoff.Account
	token handoff.Token

	out     chan outFrame
	done    chan struct{}
	closing sync.Once

	lanesMu sync.Mutex
	lanes   map[string]chan request

	checked time.Time   // when the session was last checked; read loop only
	bucket  tokenBucket // read loop only
}

// outFrame is a frame waiting for the writer; last closes the socket once
// it is written.
type outFrame struct {
	b    []byte
	last bool
}

// serveSocket upgrades a request with a valid session to a console socket.
func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	acc, tok, ok := s.session(w, r)
	if !ok {
		return
	}
	if !s.originAllowed(r) {
		writeError(w, http.StatusForbidden, "bad_origin", "this page may not open the agent console")
		return
	}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	c := &conn{srv: s, ws: ws, agent: acc, token: tok, out: make(chan outFrame, outQueue),
		done: make(chan struct{}), lanes: map[string]chan request{}, checked: s.now(),
		bucket: tokenBucket{rate: frameRate, burst: 2 * frameRate}}
	go c.writeLoop()
	s.opened(r.Context(), c)
	c.readLoop()
	s.closed(c)
}

// originAllowed accepts the gateway's own host and the allowed origins.
func (s *Server) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true // not a browser
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	return slices.Contains(s.cfg.AllowedOrigins, origin)
}

// send queues a frame. A socket that cannot keep up is closed; the
// console reconnects and is sent the whole state again.
func (c *conn) send(b []byte) {
	if b == nil {
		return
	}
	select {
	case <-c.done:
	case c.out <- outFrame{b: b}:
	default:
		c.srv.log.Warn("console socket too slow; closing", "agent", c.agent.ID)
		c.close()
	}
}

// sendFrame marshals and queues one frame.
func (c *conn) sendFrame(frame any) { c.send(encode(frame)) }

// close ends the socket once.
func (c *conn) close() {
	c.closing.Do(func() {
		close(c.done)
		_ = c.ws.Close()
	})
}

// writeLoop is the socket's only writer: frames and pings.
func (c *conn) writeLoop() {
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		select {
		case <-c.done:
			return
		case f := <-c.out:
			_ = c.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
			if err := c.ws.WriteMessage(websocket.TextMessage, f.b); err != nil || f.last {
				c.close()
				return
			}
		case <-ping.C:
			deadline := time.Now().Add(writeTimeout)
			if err := c.ws.WriteControl(websocket.PingMessage, nil, deadline); err != nil {
				c.close()
				return
			}
		}
	}
}

// readLoop reads frames until the socket closes, and hands each to its
// conversation's lane.
func (c *conn) readLoop() {
	defer c.close()
	c.ws.SetReadLimit(readLimit)
	_ = c.ws.SetReadDeadline(time.Now().Add(pongWait))
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		_ = c.ws.SetReadDeadline(time.Now().Add(pongWait))
		var r request
		if err := json.Unmarshal(data, &r); err != nil || r.Type == "" {
			c.sendFrame(errorFrame(r.Req, codeBadFrame))
			continue
		}
		if !c.bucket.take(c.srv.now()) {
			c.sendFrame(errorFrame(r.Req, codeRateLimited))
			continue
		}
		if !c.stillSignedIn() {
			<-c.done // bye closes the socket once the frame is out
			return
		}
		c.dispatch(r)
	}
}

// stillSignedIn checks the session now and then; an ended session gets
// bye and the socket closes.
func (c *conn) stillSignedIn() bool {
	now := c.srv.now()
	if now.Sub(c.checked) < checkEvery {
		return true
	}
	c.checked = now
	_, err := c.srv.cfg.Sessions.Check(context.Background(), c.token)
	if errors.Is(err, handoff.ErrNoSession) {
		c.bye("expired")
		return false
	}
	return true // a store hiccup does not end the session
}

// bye tells the console the session ended and closes the socket once the
// frame is written.
func (c *conn) bye(reason string) {
	b := encode(map[string]string{"type": "bye", "reason": reason})
	select {
	case <-c.done:
		return
	default:
	}
	// Through the writer, which closes the socket once it is written; a
	// console too slow to take it is closed at once.
	select {
	case c.out <- outFrame{b: b, last: true}:
	default:
		c.close()
	}
}

// dispatch runs a request in its conversation's lane, so requests about
// one conversation keep their order while different conversations go on
// side by side. Requests about no conversation run at once.
func (c *conn) dispatch(r request) {
	if r.Conversation == "" {
		c.srv.handle(c, r)
		return
	}
	c.lanesMu.Lock()
	defer c.lanesMu.Unlock()
	lane, ok := c.lanes[r.Conversation]
	if !ok {
		lane = make(chan request, laneQueue)
		c.lanes[r.Conversation] = lane
		go c.runLane(r.Conversation, lane)
	}
	select {
	case lane <- r:
	case <-c.done:
	}
}

// runLane handles one conversation's requests in order and ends when the
// lane has been idle for a while or the socket closed.
func (c *conn) runLane(key string, lane chan request) {
	idle := time.NewTimer(laneIdle)
	defer idle.Stop()
	for {
		select {
		case r := <-lane:
			c.srv.handle(c, r)
			idle.Reset(laneIdle)
		case <-idle.C:
			c.lanesMu.Lock()
			if len(lane) == 0 {
				delete(c.lanes, key)
				c.lanesMu.Unlock()
				return
			}
			c.lanesMu.Unlock()
			idle.Reset(laneIdle)
		case <-c.done:
			c.lanesMu.Lock()
			delete(c.lanes, key)
			c.lanesMu.Unlock()
			return
		}
	}
}

// tokenBucket limits the frames of one socket.
type tokenBucket struct {
	rate, burst float64
	tokens      float64
	last        time.Time
}

// take reports whether a frame may pass now.
func (b *tokenBucket) take(now time.Time) bool {
	if b.last.IsZero() {
		b.tokens, b.last = b.burst, now
	}
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
