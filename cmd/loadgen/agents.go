package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// agentMarker ends every simulated agent's reply, so that subscribers on
// WeChat and SMS, whose deliveries do not say who wrote them, can tell
// an agent's reply from the bot's.
const agentMarker = "[lg]"

// agentReply is what a simulated agent answers, once per conversation.
const agentReply = "您好，我是人工客服，已经为您查看过了，问题已登记处理。" + agentMarker

// senderOf names the writer of a text on channels that do not say.
func senderOf(text string) string {
	if strings.Contains(text, agentMarker) {
		return "agent"
	}
	return "bot"
}

// account is an agent's sign-in.
type account struct{ name, password string }

// parseAccounts reads name:password,name:password.
func parseAccounts(s string) ([]account, error) {
	var out []account
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		name, pw, ok := strings.Cut(part, ":")
		if !ok || name == "" || pw == "" {
			return nil, fmt.Errorf("agent account %q: want name:password", part)
		}
		out = append(out, account{name, pw})
	}
	return out, nil
}

// consoleFrame is the part of an agent console frame loadgen reads
// (docs/agent-console-protocol.md).
type consoleFrame struct {
	Type         string `json:"type"`
	Req          string `json:"req"`
	Code         string `json:"code"`
	Conversation string `json:"conversation"`
	View         struct {
		Conversation string `json:"conversation"`
	} `json:"view"`
	Agent struct {
		State string `json:"state"`
	} `json:"agent"`
}

// agent is a simulated agent on one console socket: ready, it replies
// once to each conversation it is given and closes it as resolved.
type agent struct {
	name    string
	id      string // the name as a client_id may carry it
	ws      *websocket.Conn
	wmu     sync.Mutex
	reqs    atomic.Int64
	kmu     sync.Mutex
	kinds   map[string]string // request id → type, to name errors
	handled map[string]bool   // conversations held and answered
	closed  atomic.Int64      // conversations closed
	errs    *errorCounts
	done    chan struct{}
}

// startAgent signs in, opens the console and sets the agent ready.
func startAgent(ctx context.Context, base *url.URL, acc account, errs *errorCounts) (*agent, error) {
	cookie, err := signIn(ctx, base, acc)
	if err != nil {
		return nil, err
	}
	u := *base
	u.Scheme = map[string]string{"http": "ws", "https": "wss"}[base.Scheme]
	u.Path += "/agent/ws"
	h := http.Header{"Cookie": {cookie.String()}, "Origin": {base.Scheme + "://" + base.Host}}
	ws, resp, err := (&websocket.Dialer{HandshakeTimeout: 10 * time.Second}).DialContext(ctx, u.String(), h)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("agent %s: console: HTTP %d", acc.name, resp.StatusCode)
		}
		return nil, fmt.Errorf("agent %s: console: %w", acc.name, err)
	}
	a := &agent{name: acc.name, id: clientSafe(acc.name), ws: ws, kinds: map[string]string{}, handled: map[string]bool{}, errs: errs, done: make(chan struct{})}
	a.request("state", map[string]any{"state": "ready"})
	go a.read()
	return a, nil
}

// signIn posts the sign-in form and returns the session cookie.
func signIn(ctx context.Context, base *url.URL, acc account) (*http.Cookie, error) {
	body, _ := json.Marshal(map[string]string{"name": acc.name, "password": acc.password})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base.String()+"/agent/api/signin", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("agent %s: sign in: %w", acc.name, err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "hotline_agent" && c.Value != "" {
			return c, nil
		}
	}
	return nil, fmt.Errorf("agent %s: sign in: HTTP %d", acc.name, resp.StatusCode)
}

// request sends one console request.
func (a *agent) request(typ string, fields map[string]any) {
	req := fmt.Sprintf("r%d", a.reqs.Add(1))
	a.kmu.Lock()
	a.kinds[req] = typ
	a.kmu.Unlock()
	f := map[string]any{"type": typ, "req": req}
	for k, v := range fields {
		f[k] = v
	}
	a.wmu.Lock()
	defer a.wmu.Unlock()
	_ = a.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := a.ws.WriteJSON(f); err != nil {
		a.errs.add("agent", "console write: "+errKind(err))
	}
}

// read handles the console's frames until the socket closes.
func (a *agent) read() {
	defer close(a.done)
	for {
		var f consoleFrame
		if err := a.ws.ReadJSON(&f); err != nil {
			return
		}
		switch f.Type {
		case "assigned":
			a.serve(f.View.Conversation)
		case "me":
			// A close puts the agent in wrap-up; the simulated agent has
			// nothing to write up and is ready again at once.
			if f.Agent.State == "wrap_up" {
				a.request("state", map[string]any{"state": "ready"})
			}
		case "released":
			// The subscriber may ask again later, in the same conversation.
			delete(a.handled, f.Conversation)
		case "error":
			a.kmu.Lock()
			typ := a.kinds[f.Req]
			a.kmu.Unlock()
			a.errs.add("agent", "console error: "+f.Code+" ("+typ+")")
		case "bye":
			a.errs.add("agent", "console bye")
		}
	}
}

// serve replies once to a conversation and closes it.
func (a *agent) serve(conv string) {
	if conv == "" || a.handled[conv] {
		return
	}
	a.handled[conv] = true
	n := a.closed.Load() + 1
	a.request("reply", map[string]any{"conversation": conv, "client_id": fmt.Sprintf("lg-%s-%d", a.id, n), "text": agentReply})
	a.request("close", map[string]any{"conversation": conv, "code": "resolved", "summary": "已答复（负载测试）"})
	a.closed.Add(1)
}

// stop sets the agent offline and closes the console.
func (a *agent) stop() {
	a.wmu.Lock()
	_ = a.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
	a.wmu.Unlock()
	select {
	case <-a.done:
	case <-time.After(2 * time.Second):
	}
	_ = a.ws.Close()
}

// clientSafe keeps the letters, digits, - and _ of s.
func clientSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, s)
}
