package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// gw is a gateway running in-process on a random port.
type gw struct {
	addr string
	stop func()
	logs *syncBuffer
}

// syncBuffer collects logs from concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startGateway runs Run on 127.0.0.1:0 with the shipped config and the
// given data folder and environment, and stops it when the test ends.
func startGateway(t *testing.T, dataDir string, env map[string]string) *gw {
	t.Helper()
	return startGatewayWith(t, Options{
		Args:   []string{"-config", testConfig(t), "-addr", "127.0.0.1:0", "-data", dataDir},
		Getenv: func(k string) string { return env[k] },
	})
}

// startGatewayWith runs Run with the given options, adding the log
// capture and the readiness hook.
func startGatewayWith(t testing.TB, o Options) *gw {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	logs := captureLog(t.Name())
	o.Stderr = logs
	o.Getenv = scanLogLevel(o.Getenv)
	o.Ready = func(a string) { ready <- a }
	go func() { done <- Run(ctx, o) }()

	g := &gw{logs: logs}
	select {
	case g.addr = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("gateway did not start: %v", err)
	case <-time.After(20 * time.Second):
		cancel()
		t.Fatal("gateway did not start in time")
	}

	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("gateway logs:\n%s", logs.String())
		}
	})
	var once sync.Once
	g.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("gateway stopped with error: %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Error("gateway did not stop in time")
			}
		})
	}
	t.Cleanup(g.stop)
	return g
}

// frame is any server frame.
type frame struct {
	Type         string `json:"type"`
	Session      string `json:"session"`
	Conversation string `json:"conversation"`
	Resumed      bool   `json:"resumed"`
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

// client is a web chat client over a real websocket.
type client struct {
	t  *testing.T
	ws *websocket.Conn
}

func dial(t *testing.T, addr string, header http.Header) *client {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial("ws://"+addr+"/chat/ws", header)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial: %v (HTTP %d)", err, status)
	}
	c := &client{t: t, ws: ws}
	t.Cleanup(func() { _ = ws.Close() })
	return c
}

func (c *client) send(v any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(v); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

// read returns the next frame, failing the test after a timeout.
func (c *client) read() frame {
	c.t.Helper()
	f, err := c.tryRead(10 * time.Second)
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return f
}

func (c *client) tryRead(timeout time.Duration) (frame, error) {
	_ = c.ws.SetReadDeadline(time.Now().Add(timeout))
	var f frame
	_, data, err := c.ws.ReadMessage()
	if err != nil {
		return f, err
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return f, fmt.Errorf("decode %q: %w", data, err)
	}
	return f, nil
}

// until reads frames until one matches, returning those read before it.
func (c *client) until(match func(frame) bool) (frame, []frame) {
	c.t.Helper()
	var before []frame
	for range 1000 {
		f := c.read()
		if match(f) {
			return f, before
		}
		before = append(before, f)
	}
	c.t.Fatal("no matching frame in 1000")
	return frame{}, nil
}

// hello opens a session and returns the welcome and the replayed history.
func (c *client) hello(session, after string) (frame, []frame) {
	c.t.Helper()
	c.send(map[string]string{"type": "hello", "session": session, "after": after})
	w := c.read()
	if w.Type != "welcome" {
		c.t.Fatalf("first frame = %+v, want welcome", w)
	}
	// The replay is followed by the pong to this ping, which marks its end.
	c.send(map[string]string{"type": "ping"})
	_, history := c.until(func(f frame) bool { return f.Type == "pong" })
	return w, history
}

// ask sends a message and returns its ack and the bot's reply.
func (c *client) ask(clientID, text string) (frame, frame) {
	c.t.Helper()
	c.send(map[string]string{"type": "message", "client_id": clientID, "text": text})
	var ack, reply frame
	for ack.Type == "" || reply.Type == "" {
		f := c.read()
		switch {
		case f.Type == "ack" && f.ClientID == clientID:
			ack = f
		case f.Type == "message" && f.From == "subscriber":
			c.t.Fatalf("the sender got its own message back: %+v", f)
		case f.Type == "message" && f.From == "bot":
			reply = f
		case f.Type == "error":
			c.t.Fatalf("error frame: %+v", f)
		}
	}
	return ack, reply
}
