package webchat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"hotline/channels"
	"hotline/dialog"
)

// conn is one websocket. Its reader goroutine reads frames and calls the
// dialog; its writer goroutine is the only one that writes.
type conn struct {
	ch      *Channel
	ws      *websocket.Conn
	ip      string // the client's address, counted in the channel's perIP
	send    chan []byte
	done    chan struct{}
	stop    sync.Once
	closeMu sync.Mutex
	closeTo []byte // a close frame for the writer to send, once

	// Read-side state, touched only by the reader; address is set once,
	// before the connection is bound to its session, and only read after.
	address string
	lang    string
	greeted bool
	limit   bucket
	strikes int
	// other limits every frame but messages (pings, hellos, typing and
	// malformed frames), which touch no store but still cost a reply.
	other        bucket
	otherStrikes int

	// tr orders the sequenced frames (messages, acks) written to the client.
	tr tracker
}

// sendQueue is how many frames may wait for a slow client before the
// connection is dropped; the client then resumes from the transcript.
const sendQueue = 32

// maxStrikes is how many rate-limited frames in a row close the connection.
const maxStrikes = 20

// Frames other than messages: a page pings every 25 seconds and says
// hello once a connection, so 5 a second with 20 at once is far above
// what it sends.
const (
	otherRate  = 5
	otherBurst = 20
)

// typingDelay is how long the bot may take before a typing indicator shows.
const typingDelay = 300 * time.Millisecond

func newConn(ch *Channel, ws *websocket.Conn) *conn {
	return &conn{
		ch:    ch,
		ws:    ws,
		send:  make(chan []byte, sendQueue),
		done:  make(chan struct{}),
		lang:  "zh",
		limit: newBucket(ch.cfg.RatePerSecond, ch.cfg.RateBurst, time.Now()),
		other: newBucket(otherRate, otherBurst, time.Now()),
	}
}

// enqueue hands a frame to the writer without blocking. A client too slow
// to keep up is disconnected; it resumes from the transcript.
func (c *conn) enqueue(frame []byte) bool {
	select {
	case <-c.done:
		return false
	default:
	}
	select {
	case c.send <- frame:
		return true
	default:
		c.ch.log.Warn("web chat client too slow; disconnecting")
		c.shutdown()
		return false
	}
}

// push hands a frame to the writer, waiting while the queue is full, up to
// the write timeout. The reader uses it for its own answers and for
// replaying history, which may be longer than the queue.
func (c *conn) push(frame []byte) bool {
	timer := time.NewTimer(c.ch.cfg.WriteTimeout)
	defer timer.Stop()
	select {
	case c.send <- frame:
		return true
	case <-c.done:
		return false
	case <-timer.C:
		c.ch.log.Warn("web chat client not reading; disconnecting")
		c.shutdown()
		return false
	}
}

// shutdown stops both pumps; it is safe to call more than once.
func (c *conn) shutdown() {
	c.stop.Do(func() { close(c.done) })
}

// closeWith asks the writer to send a close frame with a code and reason;
// the reader then waits for the client's echo.
func (c *conn) closeWith(code int, reason string) {
	c.closeMu.Lock()
	if c.closeTo == nil {
		c.closeTo = websocket.FormatCloseMessage(code, reason)
	}
	c.closeMu.Unlock()
	select {
	case c.send <- nil: // nil wakes the writer to send the close frame
	default:
		c.shutdown()
	}
}

func (c *conn) writePump() {
	defer c.ch.wg.Done()
	ping := time.NewTicker(c.ch.cfg.PingInterval)
	defer func() {
		ping.Stop()
		_ = c.ws.Close()
	}()

	for {
		select {
		case frame := <-c.send:
			if frame == nil {
				c.writeClose()
				return
			}
			if c.write(websocket.TextMessage, frame) != nil {
				c.shutdown()
				return
			}
		case <-ping.C:
			if c.write(websocket.PingMessage, nil) != nil {
				c.shutdown()
				return
			}
		case <-c.done:
			return
		}
	}
}

func (c *conn) write(kind int, data []byte) error {
	_ = c.ws.SetWriteDeadline(time.Now().Add(c.ch.cfg.WriteTimeout))
	return c.ws.WriteMessage(kind, data)
}

// writeClose sends the close frame and gives the reader a moment to read
// the client's echo before the socket closes.
func (c *conn) writeClose() {
	c.closeMu.Lock()
	msg := c.closeTo
	c.closeMu.Unlock()
	_ = c.write(websocket.CloseMessage, msg)
	select {
	case <-c.done:
	case <-time.After(2 * time.Second):
	}
}

func (c *conn) readPump() {
	defer c.ch.wg.Done()
	defer func() {
		c.shutdown()
		c.closeTracker()
		c.ch.hub.remove(c)
		_ = c.ws.Close()
		c.ch.perIP.give(c.ip)
	}()

	wait := 2 * c.ch.cfg.PingInterval
	c.ws.SetReadLimit(c.ch.cfg.ReadLimit)
	_ = c.ws.SetReadDeadline(time.Now().Add(wait))
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(wait))
	})

	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			c.logReadError(err)
			return
		}
		_ = c.ws.SetReadDeadline(time.Now().Add(wait))
		if !c.handle(data) {
			return
		}
	}
}

func (c *conn) logReadError(err error) {
	if errors.Is(err, websocket.ErrReadLimit) {
		c.ch.log.Info("web chat frame over the size limit; connection closed")
		return
	}
	if websocket.IsUnexpectedCloseError(err, websocket.CloseNormalClosure,
		websocket.CloseGoingAway, websocket.CloseServiceRestart, websocket.CloseNoStatusReceived) {
		c.ch.log.Debug("web chat connection lost", "error", err)
	}
}

// handle processes one frame; it returns false to close the connection.
// A panic while handling one frame closes that connection only.
func (c *conn) handle(data []byte) (keep bool) {
	defer func() {
		if p := recover(); p != nil {
			c.ch.log.Error("web chat frame handling panicked; connection closed",
				"panic", fmt.Sprint(p))
			keep = false
		}
	}()

	var f clientFrame
	err := json.Unmarshal(data, &f)
	if err != nil || f.Type != "message" {
		if !c.other.allow(time.Now()) {
			// Not answered: a reply would cost what the limit saves.
			c.otherStrikes++
			if c.otherStrikes >= maxStrikes {
				c.ch.log.Warn("web chat connection closed for flooding with frames other than messages")
				c.closeWith(websocket.ClosePolicyViolation, "too many frames")
			}
			return true
		}
		c.otherStrikes = 0
	}
	if err != nil {
		c.fail(codeBadFrame, "bad_frame")
		return true
	}

	switch {
	case f.Type == "ping":
		c.push(pongFrame)
	case f.Type == "hello" && !c.greeted:
		return c.hello(f)
	case !c.greeted:
		c.fail(codeBadFrame, "bad_frame")
	case f.Type == "message":
		return c.message(f)
	case f.Type == "typing":
		// Typing by the subscriber matters only to agents, who are not
		// connected to web chat yet.
	default:
		c.fail(codeBadFrame, "bad_frame")
	}
	return true
}

// fail sends an error frame with the polite text for key.
func (c *conn) fail(code, key string) {
	text := ""
	if key != "bad_frame" {
		text = c.ch.cfg.Texts.Text(key, c.lang)
	} else {
		text = "unrecognised frame; see the web chat protocol"
	}
	c.push(encode(errorFrame{Type: "error", Code: code, Text: text}))
}

func (c *conn) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 10*time.Second)
}

// hello opens or resumes the session and replays its history.
func (c *conn) hello(f clientFrame) bool {
	if f.Lang == "en" {
		c.lang = "en"
	}
	ctx, cancel := c.ctx()
	defer cancel()

	token, conv, resumed, err := c.session(ctx, f.Session)
	if err != nil {
		c.ch.log.Warn("web chat could not load session", "error", err)
		c.closeWith(websocket.CloseInternalServerErr, "try again")
		return true
	}
	c.greeted = true
	c.address = addressOf(token)

	// Register before reading the history, so that a message committed in
	// between is not missed. Until the replay is written such messages
	// are held, and the tracker drops those the replay already had.
	c.startWriting(conv.ID)
	c.ch.hub.bind(c, c.address)
	c.push(encode(welcomeFrame{Type: "welcome", Session: token,
		Conversation: conv.ID, Resumed: resumed}))
	if resumed && !c.replay(ctx, conv, f.After) {
		c.release()
		return false
	}
	c.writeOut(ctx)
	return true
}

// session finds the conversation of a token; an unknown or malformed
// token gets a fresh one, without saying whether it ever existed.
func (c *conn) session(ctx context.Context, token string) (string, dialog.Conversation, bool, error) {
	if validToken(token) {
		conv, err := c.ch.cfg.History.FindConversation(ctx, Name, addressOf(token))
		if err == nil {
			return token, conv, true, nil
		}
		if !errors.Is(err, dialog.ErrNotFound) {
			return "", conv, false, err
		}
	}
	return newToken(), dialog.Conversation{}, false, nil
}

// replay sends the messages after the client's last seen id, at most
// HistoryLimit of them, the newest. It reports false once the connection
// is gone.
func (c *conn) replay(ctx context.Context, conv dialog.Conversation, after string) bool {
	var seq int64
	if after != "" {
		s, err := c.ch.cfg.History.MessageSeq(ctx, conv.ID, after)
		if err == nil {
			seq = s
			c.resumedAt(s)
		}
	}
	msgs, err := c.ch.cfg.History.MessagesAfter(ctx, conv.ID, seq, c.ch.cfg.HistoryLimit)
	if err != nil {
		c.ch.log.Warn("web chat could not replay history", "conversation", conv.ID, "error", err)
		c.closeWith(websocket.CloseInternalServerErr, "try again")
		return true
	}
	return c.writeTranscript(msgs)
}

// message validates a subscriber message and hands it to the dialog.
func (c *conn) message(f clientFrame) bool {
	if !clientIDPattern.MatchString(f.ClientID) {
		c.fail(codeBadFrame, "bad_frame")
		return true
	}
	if !c.limit.allow(time.Now()) {
		c.strikes++
		c.fail(codeRateLimited, "rate_limited")
		if c.strikes >= maxStrikes {
			c.ch.log.Warn("web chat connection closed for flooding")
			c.closeWith(websocket.ClosePolicyViolation, "too many messages")
		}
		return true
	}
	c.strikes = 0

	// A NUL would be refused by the store of unanswered questions.
	text := strings.TrimSpace(channels.CleanText(f.Text))
	switch {
	case text == "" && f.Payload == "":
		c.fail(codeEmpty, "empty")
		return true
	case utf8.RuneCountInString(text) > c.ch.cfg.MaxTextRunes || !utf8.ValidString(text):
		c.fail(codeTooLong, "too_long")
		return true
	case len(f.Payload) > 128:
		c.fail(codeBadFrame, "bad_frame")
		return true
	}
	c.deliver(f.ClientID, text, f.Payload)
	return true
}

// deliver passes the message to the dialog, acknowledges it once stored,
// and shows it in the session's other tabs.
func (c *conn) deliver(clientID, text, payload string) {
	ctx, cancel := c.ctx()
	defer cancel()

	typing := time.AfterFunc(typingDelay, func() {
		c.enqueue(encode(typingFrame{Type: "typing", From: dialog.FromBot, On: true}))
	})
	c.storing(clientID)
	rec, err := c.ch.cfg.Receiver.Receive(ctx, channels.Inbound{
		Channel: Name, Address: c.address, ProviderID: clientID,
		Text: text, Payload: payload, Lang: c.lang, ReceivedAt: time.Now(),
	})
	if !typing.Stop() {
		c.enqueue(encode(typingFrame{Type: "typing", From: dialog.FromBot, On: false}))
	}
	if err != nil {
		c.notStored()
		c.ch.log.Warn("web chat message not stored", "error", err)
		c.fail(codeUnavailable, "unavailable")
		return
	}

	c.ack(ctx, rec.ConversationID, rec.Seq, encode(ackFrame{Type: "ack", ClientID: clientID,
		ID: rec.MessageID, Seq: rec.Seq, Duplicate: rec.Duplicate}))
	if rec.Duplicate {
		return
	}
	// The sender has the message and, from the ack, its id; the session's
	// other tabs get it as a message frame.
	others := c.ch.hub.sessionConns(c.address)
	if len(others) < 2 {
		return
	}
	echo := encode(messageFrame{Type: "message", ID: rec.MessageID, Seq: rec.Seq,
		From: dialog.FromSubscriber, Text: text, At: time.Now().UTC(), ClientID: clientID})
	for _, other := range others {
		if other != c {
			other.offer(rec.ConversationID, rec.Seq, echo)
		}
	}
}
