package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/crypto/bcrypt"
)

// testAgent is an account the desk tests write into the settings.
type testAgent struct {
	id, name, role string
	groups         []string
	max            int
}

// testPassword is every test account's password.
const testPassword = "correct horse battery"

// startDesk runs the gateway with the shipped settings, the given
// accounts and environment overrides, in a folder of its own.
func startDesk(t testing.TB, env map[string]string, agents ...testAgent) *gw {
	t.Helper()
	return startDeskIn(t, t.TempDir(), env, agents...)
}

// startDeskIn is startDesk with a data folder the test can read after.
func startDeskIn(t testing.TB, dataDir string, env map[string]string, agents ...testAgent) *gw {
	t.Helper()
	return startGatewayWith(t, deskOptions(t, dataDir, env, agents...))
}

// deskOptions writes the settings with the accounts and returns the
// gateway's options.
func deskOptions(t testing.TB, dataDir string, env map[string]string, agents ...testAgent) Options {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"intents.yaml", "messages.yaml", "flows.yaml", "faq.yaml",
		"calendar-2026.yaml", "canned.yaml"} {
		copyFile(t, "../../configs/"+f, filepath.Join(dir, f))
	}
	cfg := strings.Replace(string(testConfigText(t)), "  accounts: []", accountsYAML(t, agents), 1)
	writeFile(t, filepath.Join(dir, "gateway.yaml"), cfg)
	return Options{
		Args:   []string{"-config", filepath.Join(dir, "gateway.yaml"), "-addr", "127.0.0.1:0", "-data", dataDir},
		Getenv: func(k string) string { return env[k] },
	}
}

// accountsYAML writes the accounts with bcrypt hashes at the lowest cost.
func accountsYAML(t testing.TB, agents []testAgent) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("  accounts:\n")
	for _, a := range agents {
		groups, _ := json.Marshal(a.groups)
		fmt.Fprintf(&b, "    - {id: %s, name: %q, role: %s, groups: %s, max_concurrent: %d, password_hash: %q}\n",
			a.id, a.name, a.role, groups, a.max, hash)
	}
	return b.String()
}

// signIn posts the sign-in form and returns the session cookie.
func signIn(t testing.TB, addr, name, password string) (*http.Cookie, int) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"name": name, "password": password})
	resp, err := http.Post("http://"+addr+"/agent/api/signin", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "hotline_agent" && c.Value != "" {
			return c, resp.StatusCode
		}
	}
	return nil, resp.StatusCode
}

// aframe is any frame the console is sent; each test reads what it needs.
type aframe struct {
	Type         string          `json:"type"`
	Req          string          `json:"req"`
	Code         string          `json:"code"`
	Conversation string          `json:"conversation"`
	Why          string          `json:"why"`
	Value        string          `json:"value"`
	Reason       string          `json:"reason"`
	Message      amessage        `json:"message"`
	View         aview           `json:"view"`
	Entries      []aentry        `json:"entries"`
	Agent        aagent          `json:"agent"`
	Agents       []aagent        `json:"agents"`
	Note         anote           `json:"note"`
	Ticket       json.RawMessage `json:"ticket"`
	raw          string
}

type amessage struct {
	ID       string `json:"id"`
	From     string `json:"from"`
	Text     string `json:"text"`
	Masked   int    `json:"masked"`
	ClientID string `json:"client_id"`
}

// UnmarshalJSON reads a message object, or the text of an error frame's
// message.
func (m *amessage) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &m.Text)
	}
	type plain amessage
	return json.Unmarshal(b, (*plain)(m))
}

type aview struct {
	Conversation string `json:"conversation"`
	Channel      string `json:"channel"`
	State        string `json:"state"`
	Entry        struct {
		Reason string `json:"reason"`
		Group  string `json:"group"`
		Agent  string `json:"agent"`
		Note   string `json:"note"`
	} `json:"entry"`
	Details []struct {
		Key       string `json:"key"`
		Value     string `json:"value"`
		Sensitive bool   `json:"sensitive"`
	} `json:"details"`
	Messages []amessage `json:"messages"`
	Tickets  []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"tickets"`
	Notes []anote `json:"notes"`
}

type aentry struct {
	Conversation string `json:"conversation"`
	Priority     int    `json:"priority"`
	Reason       string `json:"reason"`
	Position     int    `json:"position"`
}

type aagent struct {
	ID    string `json:"id"`
	Role  string `json:"role"`
	State string `json:"state"`
	Load  int    `json:"load"`
}

type anote struct {
	Agent string `json:"agent"`
	Text  string `json:"text"`
}

// agentSocket is an agent's console socket, read in the background so a test
// can wait for one kind of frame while others arrive.
type agentSocket struct {
	t      *testing.T
	ws     *websocket.Conn
	frames chan aframe
	seen   []aframe // read but not yet wanted
	reqs   atomic.Int64
}

// openConsole signs in and opens the console socket.
func openConsole(t *testing.T, addr, name string) *agentSocket {
	t.Helper()
	ck, status := signIn(t, addr, name, testPassword)
	if ck == nil {
		t.Fatalf("sign in %s: HTTP %d", name, status)
	}
	return dialConsole(t, addr, ck)
}

func dialConsole(t *testing.T, addr string, ck *http.Cookie) *agentSocket {
	t.Helper()
	h := http.Header{"Cookie": {ck.String()}, "Origin": {"http://" + addr}}
	ws, resp, err := websocket.DefaultDialer.Dial("ws://"+addr+"/agent/ws", h)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial console: %v (HTTP %d)", err, status)
	}
	c := &agentSocket{t: t, ws: ws, frames: make(chan aframe, 1024)}
	go func() {
		defer close(c.frames)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			var f aframe
			if err := json.Unmarshal(data, &f); err != nil {
				f = aframe{Type: "undecodable"}
			}
			f.raw = string(data)
			c.frames <- f
		}
	}()
	t.Cleanup(func() { _ = ws.Close() })
	c.want("welcome", nil)
	return c
}

// want returns the first frame of the type that matches, keeping the
// others for later wants; it fails the test after 10 seconds.
func (c *agentSocket) want(typ string, match func(aframe) bool) aframe {
	c.t.Helper()
	return c.take(typ+" frame", func(f aframe) bool { return f.Type == typ && (match == nil || match(f)) })
}

// take returns the first frame, seen before or arriving within 10
// seconds, that matches, keeping the others.
func (c *agentSocket) take(what string, ok func(aframe) bool) aframe {
	c.t.Helper()
	for i, f := range c.seen {
		if ok(f) {
			c.seen = append(c.seen[:i:i], c.seen[i+1:]...)
			return f
		}
	}
	deadline := time.After(10 * time.Second)
	for {
		select {
		case f, open := <-c.frames:
			if !open {
				c.t.Fatalf("console closed while waiting for %s", what)
			}
			if ok(f) {
				return f
			}
			c.seen = append(c.seen, f)
		case <-deadline:
			c.t.Fatalf("no %s in 10s; seen: %v", what, c.types())
		}
	}
}

func (c *agentSocket) types() []string {
	var out []string
	for _, f := range c.seen {
		out = append(out, f.Type)
	}
	return out
}

// do sends a request and returns its answer: ok, error or revealed.
func (c *agentSocket) do(typ string, fields map[string]any) aframe {
	c.t.Helper()
	req := c.send(typ, fields)
	return c.answer(req)
}

// send sends a request and returns its id.
func (c *agentSocket) send(typ string, fields map[string]any) string {
	c.t.Helper()
	req := fmt.Sprintf("r%d", c.reqs.Add(1))
	frame := map[string]any{"type": typ, "req": req}
	for k, v := range fields {
		frame[k] = v
	}
	if err := c.ws.WriteJSON(frame); err != nil {
		c.t.Fatalf("send %s: %v", typ, err)
	}
	return req
}

// answer waits for the ok, error or revealed frame of a request.
func (c *agentSocket) answer(req string) aframe {
	c.t.Helper()
	return c.take("answer to "+req, func(f aframe) bool {
		return f.Req == req && (f.Type == "ok" || f.Type == "error" || f.Type == "revealed")
	})
}

// must sends a request that must succeed.
func (c *agentSocket) must(typ string, fields map[string]any) {
	c.t.Helper()
	if f := c.do(typ, fields); f.Type != "ok" {
		c.t.Fatalf("%s %v: %s", typ, fields, f.raw)
	}
}

// ready sets the agent ready.
func (c *agentSocket) ready() { c.t.Helper(); c.must("state", map[string]any{"state": "ready"}) }

// next reads subscriber frames until the agent's or the system's
// next message.
func (c *client) next(from string) frame {
	c.t.Helper()
	f, _ := c.until(func(f frame) bool { return f.Type == "message" && f.From == from })
	return f
}

// websocketDial dials without failing the test, for refused upgrades.
func websocketDial(url string, h http.Header) (*websocket.Conn, *http.Response, error) {
	return websocket.DefaultDialer.Dial(url, h)
}

// wantOneWinner checks two answers to the same accept: one ok, one taken.
func wantOneWinner(t *testing.T, answers []aframe) {
	t.Helper()
	oks, taken := 0, 0
	for _, f := range answers {
		switch {
		case f.Type == "ok":
			oks++
		case f.Code == "taken":
			taken++
		}
	}
	if oks != 1 || taken != 1 {
		t.Fatalf("answers = %s / %s, want one ok and one taken", answers[0].raw, answers[1].raw)
	}
}
