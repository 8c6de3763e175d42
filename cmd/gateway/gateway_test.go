package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestGateway_AnswersAndResumes(t *testing.T) {
	g := startGateway(t, t.TempDir(), nil)
	c := dial(t, g.addr, nil)

	w, history := c.hello("", "")
	if w.Resumed || len(w.Session) != 43 || len(history) != 0 {
		t.Fatalf("new visitor: welcome %+v, %d history; want a fresh 43-char token", w, len(history))
	}
	ack, reply := c.ask("q1", "话费余额怎么查")
	if ack.Duplicate || ack.ID == "" || ack.Seq != 1 {
		t.Errorf("ack = %+v, want seq 1, not duplicate", ack)
	}
	if reply.Seq != 2 || reply.Text == "" {
		t.Errorf("reply = %+v, want seq 2 with an answer", reply)
	}
	_, reply2 := c.ask("q2", "宽带怎么移机")
	_ = c.ws.Close()

	// Resuming after the first reply replays only what came later.
	c2 := dial(t, g.addr, nil)
	w2, history := c2.hello(w.Session, reply.ID)
	if !w2.Resumed || w2.Session != w.Session || w2.Conversation != w.Conversation {
		if w.Conversation != "" || !w2.Resumed {
			t.Fatalf("resume: welcome %+v", w2)
		}
	}
	if len(history) != 2 || history[0].Seq != 3 || history[1].ID != reply2.ID {
		t.Fatalf("history after %s = %+v, want seqs 3 and 4", reply.ID, history)
	}
	if history[0].From != "subscriber" || history[0].ClientID != "q2" {
		t.Errorf("replayed subscriber message = %+v, want its client id", history[0])
	}

	// Without "after", everything is replayed.
	c3 := dial(t, g.addr, nil)
	_, all := c3.hello(w.Session, "")
	if len(all) != 4 {
		t.Fatalf("full history has %d messages, want 4", len(all))
	}
}

func TestGateway_UnknownTokenGetsANewSession(t *testing.T) {
	g := startGateway(t, t.TempDir(), nil)
	c := dial(t, g.addr, nil)
	forged := strings.Repeat("A", 43)
	w, history := c.hello(forged, "")
	if w.Resumed || w.Session == forged || len(history) != 0 {
		t.Fatalf("forged token: welcome %+v with %d messages; want a fresh session", w, len(history))
	}
}

func TestGateway_RepeatedClientIDIsProcessedOnce(t *testing.T) {
	g := startGateway(t, t.TempDir(), nil)
	c := dial(t, g.addr, nil)
	w, _ := c.hello("", "")
	first, _ := c.ask("same-id", "怎么开发票")

	c.send(map[string]string{"type": "message", "client_id": "same-id", "text": "怎么开发票"})
	again := c.read()
	if again.Type != "ack" || !again.Duplicate || again.ID != first.ID {
		t.Fatalf("repeat = %+v, want a duplicate ack for %s", again, first.ID)
	}
	if f, err := c.tryRead(500 * time.Millisecond); err == nil {
		t.Fatalf("a repeat produced another frame: %+v", f)
	}

	c2 := dial(t, g.addr, nil)
	_, all := c2.hello(w.Session, "")
	if len(all) != 2 {
		t.Fatalf("transcript has %d messages, want the question and one answer", len(all))
	}
}

// Two tabs of one session send at once: every message is answered, and
// each answer directly follows its question in the transcript.
func TestGateway_ConcurrentMessagesStayInOrder(t *testing.T) {
	// 31 messages in a second, past the bot's answers per minute: the
	// limit is lifted, as the test is about their order.
	g := startGateway(t, t.TempDir(), map[string]string{"HOTLINE_WEBCHAT_RATE_BURST": "100",
		"HOTLINE_DIALOG_ANSWERS_PER_MINUTE": "0"})
	first := dial(t, g.addr, nil)
	w, _ := first.hello("", "")
	first.ask("warmup", "你好")

	const tabs, each = 3, 10
	var wg sync.WaitGroup
	for tab := range tabs {
		c := dial(t, g.addr, nil)
		c.hello(w.Session, "")
		wg.Go(func() {
			for i := range each {
				c.send(map[string]string{"type": "message",
					"client_id": fmt.Sprintf("t%d-%d", tab, i), "text": "流量怎么查"})
			}
			acks := 0
			for acks < each {
				f, err := c.tryRead(10 * time.Second)
				if err != nil {
					t.Errorf("tab %d: %v", tab, err)
					return
				}
				if f.Type == "ack" {
					acks++
				}
			}
		})
	}
	wg.Wait()

	check := dial(t, g.addr, nil)
	_, all := check.hello(w.Session, "")
	if want := 2 + 2*tabs*each; len(all) != want {
		t.Fatalf("transcript has %d messages, want %d", len(all), want)
	}
	for i, m := range all {
		if m.Seq != int64(i+1) {
			t.Fatalf("message %d has seq %d: gaps or disorder", i, m.Seq)
		}
		wantFrom := "subscriber"
		if i%2 == 1 {
			wantFrom = "bot"
		}
		if m.From != wantFrom {
			t.Fatalf("message %d is from %s, want %s: a reply did not follow its question",
				m.Seq, m.From, wantFrom)
		}
	}
}

func TestGateway_RestartKeepsTheConversation(t *testing.T) {
	dir := t.TempDir()
	g := startGateway(t, dir, nil)
	c := dial(t, g.addr, nil)
	w, _ := c.hello("", "")
	_, reply := c.ask("before-restart", "怎么办理携号转网")

	g.stop()
	// A graceful stop tells the client to reconnect.
	var closeErr *websocket.CloseError
	for {
		_, err := c.tryRead(5 * time.Second)
		if err != nil {
			if !errors.As(err, &closeErr) || closeErr.Code != websocket.CloseServiceRestart {
				t.Fatalf("on shutdown the client got %v, want close 1012", err)
			}
			break
		}
	}

	g2 := startGateway(t, dir, nil)
	c2 := dial(t, g2.addr, nil)
	w2, history := c2.hello(w.Session, "")
	if !w2.Resumed || len(history) != 2 || history[1].ID != reply.ID {
		t.Fatalf("after restart: welcome %+v, history %+v", w2, history)
	}
	_, r2 := c2.ask("after-restart", "谢谢")
	if r2.Seq != 4 {
		t.Errorf("reply after restart has seq %d, want 4", r2.Seq)
	}
}

func TestGateway_OriginCheck(t *testing.T) {
	g := startGateway(t, t.TempDir(), map[string]string{
		"HOTLINE_WEBCHAT_ALLOWED_ORIGINS": "https://shop.example.com"})

	h := http.Header{"Origin": {"https://evil.example.net"}}
	_, resp, err := websocket.DefaultDialer.Dial("ws://"+g.addr+"/chat/ws", h)
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign origin: err %v, resp %v; want 403", err, resp)
	}
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "origin not allowed") {
		t.Errorf("403 body %q does not say why", body)
	}

	for _, origin := range []string{"https://shop.example.com", "http://" + g.addr} {
		c := dial(t, g.addr, http.Header{"Origin": {origin}})
		c.hello("", "")
	}
}

func TestGateway_FloodGetsPoliteReplies(t *testing.T) {
	g := startGateway(t, t.TempDir(), map[string]string{
		"HOTLINE_WEBCHAT_RATE_BURST": "2", "HOTLINE_WEBCHAT_RATE_PER_SECOND": "0.5"})
	c := dial(t, g.addr, nil)
	c.hello("", "")
	for i := range 5 {
		c.send(map[string]string{"type": "message", "client_id": fmt.Sprint("f", i), "text": "你好"})
	}
	acks, limited := 0, 0
	for acks+limited < 5 {
		f := c.read()
		switch {
		case f.Type == "ack":
			acks++
		case f.Type == "error" && f.Code == "rate_limited":
			limited++
			if !strings.Contains(f.Text, "太快") {
				t.Errorf("rate-limit text %q is not the polite Chinese text", f.Text)
			}
		}
	}
	if acks != 2 || limited != 3 {
		t.Errorf("acks %d, rate-limited %d; want 2 and 3", acks, limited)
	}
}

// Pings and malformed frames, before hello or after, are answered up to
// a limit; a socket that keeps sending them past it is closed.
func TestGateway_FloodOfOtherFramesClosesTheSocket(t *testing.T) {
	g := startGateway(t, t.TempDir(), nil)
	c := dial(t, g.addr, nil)
	for range 5 {
		c.send(map[string]string{"type": "ping"})
		if f := c.read(); f.Type != "pong" {
			t.Fatalf("a ping within the limit got %+v, want pong", f)
		}
	}
	type outcome struct {
		pongs int
		err   error
	}
	done := make(chan outcome, 1)
	go func() { // read while writing, as a page does
		pongs := 0
		for {
			f, err := c.tryRead(5 * time.Second)
			if err != nil {
				done <- outcome{pongs, err}
				return
			}
			if f.Type == "pong" {
				pongs++
			}
		}
	}()
	for range 200 {
		if err := c.ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)); err != nil {
			break // closed already
		}
	}
	out := <-done
	// With the pongs still queued the close frame may not fit in; the
	// connection is dropped then, which is as good against a flood.
	var ce *websocket.CloseError
	if errors.As(out.err, &ce) && ce.Code != websocket.ClosePolicyViolation && ce.Code != websocket.CloseAbnormalClosure {
		t.Fatalf("the socket ended with %v, want a policy-violation close or a drop", out.err)
	}
	if !strings.Contains(g.logs.String(), "closed for flooding with frames other than messages") {
		t.Fatalf("the socket ended with %v, but not for the flood", out.err)
	}
	pongs := out.pongs
	if pongs > 20 {
		t.Errorf("%d pongs to 200 pings, want at most what is left of the burst of 20", pongs)
	}

	// The gateway still serves others.
	d := dial(t, g.addr, nil)
	d.hello("", "")
}

func TestGateway_BadInputGetsClearErrors(t *testing.T) {
	g := startGateway(t, t.TempDir(), nil)
	c := dial(t, g.addr, nil)

	c.send(map[string]string{"type": "message", "client_id": "x", "text": "hi"})
	if f := c.read(); f.Type != "error" || f.Code != "bad_frame" {
		t.Errorf("message before hello: %+v, want bad_frame", f)
	}
	_ = c.ws.WriteMessage(websocket.TextMessage, []byte("not json"))
	if f := c.read(); f.Code != "bad_frame" {
		t.Errorf("not JSON: %+v, want bad_frame", f)
	}
	c.hello("", "")

	cases := []struct {
		name  string
		frame map[string]string
		code  string
	}{
		{"bad client id", map[string]string{"type": "message", "client_id": "a b", "text": "hi"}, "bad_frame"},
		{"empty text", map[string]string{"type": "message", "client_id": "e1", "text": "   "}, "empty"},
		{"too long", map[string]string{"type": "message", "client_id": "l1",
			"text": strings.Repeat("长", 1001)}, "too_long"},
		{"unknown type", map[string]string{"type": "dance"}, "bad_frame"},
		{"second hello", map[string]string{"type": "hello"}, "bad_frame"},
	}
	for _, tc := range cases {
		c.send(tc.frame)
		if f := c.read(); f.Type != "error" || f.Code != tc.code || f.Text == "" {
			t.Errorf("%s: got %+v, want error %s with a text", tc.name, f, tc.code)
		}
	}

	// The connection still works after all that.
	c.ask("ok1", "你好")
}

func TestGateway_OversizedFrameClosesWith1009(t *testing.T) {
	g := startGateway(t, t.TempDir(), nil)
	c := dial(t, g.addr, nil)
	c.hello("", "")
	c.send(map[string]string{"type": "message", "client_id": "big", "text": strings.Repeat("x", 20000)})

	_, err := c.tryRead(5 * time.Second)
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseMessageTooBig {
		t.Fatalf("oversized frame: %v, want close 1009", err)
	}

	// The server keeps serving others.
	c2 := dial(t, g.addr, nil)
	c2.hello("", "")
	c2.ask("after-big", "你好")
}

func TestGateway_HealthAndPage(t *testing.T) {
	g := startGateway(t, t.TempDir(), nil)
	for path, want := range map[string]string{
		"/healthz": `"ok"`, "/readyz": `"ready"`, "/": "<html", "/chat.js": "hello",
	} {
		resp, err := http.Get("http://" + g.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d %.80q, want 200 containing %s", path, resp.StatusCode, body, want)
		}
		if path == "/" && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("page served without its content security policy")
		}
	}
}

// Logs carry ids, never what the subscriber wrote.
func TestGateway_LogsHoldNoMessageText(t *testing.T) {
	g := startGateway(t, t.TempDir(), map[string]string{"HOTLINE_LOG_LEVEL": "debug"})
	c := dial(t, g.addr, nil)
	c.hello("", "")
	secret := "我的手机号13812345678身份证110101199003071234住在幸福路8号"
	c.ask("pii", secret)
	c.ask("pii2", "今天天气怎么样")
	g.stop()

	logs := g.logs.String()
	if !strings.Contains(logs, "message handled") {
		t.Fatalf("debug logs missing; the check would prove nothing:\n%s", logs)
	}
	for _, leak := range []string{"13812345678", "110101199003071234", "幸福路", "天气"} {
		if strings.Contains(logs, leak) {
			t.Errorf("logs contain %q", leak)
		}
	}
}

func TestRun_RejectsBadConfig(t *testing.T) {
	err := Run(t.Context(), Options{
		Args:   []string{"-config", testConfig(t), "-data", t.TempDir()},
		Getenv: func(k string) string { return map[string]string{"HOTLINE_LOG_LEVEL": "loud"}[k] },
	})
	if err == nil || !strings.Contains(err.Error(), "log.level") {
		t.Fatalf("Run = %v, want an error naming log.level", err)
	}
}

// Editing the knowledge base and sending SIGHUP changes the answers without
// dropping the open connection; a broken edit is rejected and the old base
// keeps answering.
func TestGateway_ReloadKeepsConnections(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"gateway.yaml", "intents.yaml", "messages.yaml", "flows.yaml", "calendar-2026.yaml", "canned.yaml"} {
		copyFile(t, "../../configs/"+f, dir+"/"+f)
	}
	writeFile(t, dir+"/faq.yaml", reloadKB("第一版答案"))
	reload := make(chan os.Signal, 1)
	g := startGatewayWith(t, Options{
		Args:   []string{"-config", dir + "/gateway.yaml", "-addr", "127.0.0.1:0", "-data", t.TempDir()},
		Reload: reload,
	})
	c := dial(t, g.addr, nil)
	c.hello("", "")
	if _, r := c.ask("r1", "营业厅几点开门"); !strings.Contains(r.Text, "第一版") {
		t.Fatalf("before reload: %q", r.Text)
	}

	writeFile(t, dir+"/faq.yaml", reloadKB("第二版答案"))
	reload <- syscall.SIGHUP
	waitAnswer(t, c, "第二版")

	writeFile(t, dir+"/faq.yaml", "entries: [this is not an entry")
	reload <- syscall.SIGHUP
	time.Sleep(200 * time.Millisecond)
	if _, r := c.ask("r-broken", "营业厅几点开门"); !strings.Contains(r.Text, "第二版") {
		t.Fatalf("after a broken edit: %q, want the previous base's answer", r.Text)
	}
	if !strings.Contains(g.logs.String(), "reload rejected") {
		t.Error("the rejected reload was not logged")
	}
}

func reloadKB(answer string) string {
	return "entries:\n  - id: hours\n    question: 营业厅几点开门？\n" +
		"    alternates: [营业时间]\n    answer: " + answer + "\n"
}

// waitAnswer asks until the answer contains want, for reloads that land
// asynchronously.
func waitAnswer(t *testing.T, c *client, want string) {
	t.Helper()
	for i := range 50 {
		if _, r := c.ask(fmt.Sprint("w", i), "营业厅几点开门"); strings.Contains(r.Text, want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the answer never became %q", want)
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, string(data))
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// One subscriber past the bot's answers per minute, over two sockets: the
// messages are all acknowledged and kept, the first one past the limit
// gets the polite notice, and the rest no answer. Both sockets get every
// message of the session, so a message's answer is told by its seq: the
// one right after the question's.
func TestGateway_AnswersPerMinuteAcrossSockets(t *testing.T) {
	g := startGateway(t, t.TempDir(), map[string]string{"HOTLINE_DIALOG_ANSWERS_PER_MINUTE": "3",
		"HOTLINE_WEBCHAT_RATE_BURST": "100"})
	a := dial(t, g.addr, nil)
	w, _ := a.hello("", "")
	var b *client

	answerTo := func(c *client, id string) frame {
		t.Helper()
		c.send(map[string]string{"type": "message", "client_id": id, "text": "流量怎么查"})
		ack, _ := c.until(func(f frame) bool { return f.Type == "ack" && f.ClientID == id })
		if ack.Duplicate {
			t.Fatalf("%s was taken for a repeat", id)
		}
		reply, _ := c.until(func(f frame) bool { return f.Type == "message" && f.Seq == ack.Seq+1 })
		return reply
	}
	for i := range 3 {
		c := a
		if i == 1 {
			// A session is kept from its first message on: the second
			// tab opens now.
			b = dial(t, g.addr, nil)
			if wb, _ := b.hello(w.Session, ""); !wb.Resumed {
				t.Fatal("the second tab did not resume the session")
			}
			c = b
		}
		if reply := answerTo(c, fmt.Sprint("in-", i)); reply.From != "bot" || strings.Contains(reply.Text, "太快") {
			t.Fatalf("message %d within the limit: %+v", i, reply)
		}
	}
	if notice := answerTo(b, "past-0"); notice.From != "bot" || !strings.Contains(notice.Text, "太快") {
		t.Fatalf("first message past the limit got %+v, want the polite notice", notice)
	}
	b.send(map[string]string{"type": "message", "client_id": "past-1", "text": "流量怎么查"})
	ack, _ := b.until(func(f frame) bool { return f.Type == "ack" && f.ClientID == "past-1" })
	time.Sleep(300 * time.Millisecond) // room for a wrong answer
	b.send(map[string]string{"type": "ping"})
	_, before := b.until(func(f frame) bool { return f.Type == "pong" })
	for _, f := range before {
		if f.Type == "message" && f.Seq > ack.Seq {
			t.Fatalf("the second message past the limit was answered: %+v", f)
		}
	}

	check := dial(t, g.addr, nil)
	_, all := check.hello(w.Session, "")
	subscriber := 0
	for _, m := range all {
		if m.From == "subscriber" {
			subscriber++
		}
	}
	if subscriber != 5 {
		t.Fatalf("%d of the subscriber's 5 messages kept", subscriber)
	}
}
