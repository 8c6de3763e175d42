package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// chatFrame is the part of a web chat server frame loadgen reads
// (docs/webchat-protocol.md).
type chatFrame struct {
	Type         string `json:"type"`
	Session      string `json:"session"`
	ID           string `json:"id"`
	Seq          int64  `json:"seq"`
	From         string `json:"from"`
	Text         string `json:"text"`
	ClientID     string `json:"client_id"`
	Duplicate    bool   `json:"duplicate"`
	Code         string `json:"code"`
	QuickReplies []struct {
		Label   string `json:"label"`
		Payload string `json:"payload"`
	} `json:"quick_replies"`
}

// chatLink is a web chat visitor on one websocket.
type chatLink struct {
	ws     *websocket.Conn
	name   string
	n      int
	evs    chan event
	errs   *errorCounts
	wmu    sync.Mutex
	closed chan struct{}
	once   sync.Once
}

// dialChat opens a session at base (http://host:port).
func dialChat(ctx context.Context, base *url.URL, name string, errs *errorCounts) (*chatLink, error) {
	u := *base
	u.Scheme = map[string]string{"http": "ws", "https": "wss"}[base.Scheme]
	u.Path += "/chat/ws"
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	h := http.Header{"Origin": {base.Scheme + "://" + base.Host}}
	ws, _, err := d.DialContext(ctx, u.String(), h)
	if err != nil {
		return nil, err
	}
	c := &chatLink{ws: ws, name: name, evs: make(chan event, 256), errs: errs, closed: make(chan struct{})}
	if err := c.hello(); err != nil {
		_ = ws.Close()
		return nil, err
	}
	go c.read()
	return c, nil
}

// hello opens a new session and reads its welcome.
func (c *chatLink) hello() error {
	if err := c.ws.WriteJSON(map[string]string{"type": "hello", "lang": "zh"}); err != nil {
		return err
	}
	_ = c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var f chatFrame
	if err := c.ws.ReadJSON(&f); err != nil {
		return err
	}
	_ = c.ws.SetReadDeadline(time.Time{})
	if f.Type != "welcome" {
		return fmt.Errorf("hello answered with %q, want welcome", f.Type)
	}
	return nil
}

// read turns frames into events until the socket closes.
func (c *chatLink) read() {
	defer close(c.evs)
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			select {
			case <-c.closed:
			default:
				c.errs.add(chanWebchat, "socket: "+errKind(err))
			}
			return
		}
		var f chatFrame
		if err := json.Unmarshal(data, &f); err != nil {
			c.errs.add(chanWebchat, "undecodable frame")
			continue
		}
		if ev, ok := c.toEvent(f); ok {
			c.evs <- ev
		}
	}
}

// toEvent keeps acks and messages from others; it counts error frames.
func (c *chatLink) toEvent(f chatFrame) (event, bool) {
	switch f.Type {
	case "ack":
		return event{ack: true, key: f.ClientID, seq: f.Seq, id: f.ID}, true
	case "message":
		if f.From == "subscriber" {
			c.errs.add(chanWebchat, "own message echoed")
			return event{}, false
		}
		r := reply{ID: f.ID, Seq: f.Seq, From: f.From, Text: f.Text, At: time.Now()}
		for _, q := range f.QuickReplies {
			r.Choices = append(r.Choices, choice{Label: q.Label, Payload: q.Payload})
		}
		return event{reply: r}, true
	case "error":
		c.errs.add(chanWebchat, "error frame: "+f.Code)
	}
	return event{}, false
}

func (c *chatLink) send(_ context.Context, m outMsg) (string, int64, error) {
	c.n++
	key := fmt.Sprintf("%s-%d", c.name, c.n)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	err := c.ws.WriteJSON(map[string]string{"type": "message", "client_id": key, "text": m.Text, "payload": m.Payload})
	return key, 0, err
}

func (c *chatLink) events() <-chan event { return c.evs }

func (c *chatLink) close() {
	c.once.Do(func() {
		close(c.closed)
		c.wmu.Lock()
		_ = c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
		c.wmu.Unlock()
		_ = c.ws.Close()
	})
}
