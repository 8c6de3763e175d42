package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline/handoff"
	"hotline/store/sqldb"
)

var (
	liNa   = testAgent{id: "li.na", name: "李娜", role: "agent", max: 3}
	zhaoLi = testAgent{id: "zhao.li", name: "赵丽", role: "agent", max: 3}
)

// A subscriber in the web chat asks for a person; a ready agent gets the
// conversation with its transcript, they exchange messages over both
// sockets, numbers are masked until revealed, a note stays internal, and
// the close asks the subscriber for a rating and hands back to the bot.
func TestAgent_WebchatHandoffEndToEnd(t *testing.T) {
	dataDir := t.TempDir()
	g := startDeskIn(t, dataDir, nil, liNa)
	agent := openConsole(t, g.addr, "li.na")
	agent.ready()

	sub := dial(t, g.addr, nil)
	sub.hello("", "")
	// A ready agent is routed the conversation at once; the bot's word on
	// the queue may come first or not at all.
	sub.send(map[string]string{"type": "message", "client_id": "s1", "text": "转人工"})
	joined := sub.next("system")
	if !strings.Contains(joined.Text, "李娜") {
		t.Fatalf("join notice = %q, want the agent's name", joined.Text)
	}

	as := agent.want("assigned", nil)
	conv := as.View.Conversation
	if as.View.Channel != "webchat" || as.View.Entry.Reason != "asked" || !hasMessage(as.View.Messages, "subscriber", "转人工") {
		t.Fatalf("assigned view = %s", as.raw)
	}

	sub.send(map[string]string{"type": "message", "client_id": "s2", "text": "我的号码是13812345678，宽带断了"})
	// The console may also get 转人工 live (it drops a message it has by id).
	live := agent.want("message", func(f aframe) bool {
		return f.Message.From == "subscriber" && strings.Contains(f.Message.Text, "宽带断了")
	})
	if live.Message.Text != "我的号码是138****5678，宽带断了" || live.Message.Masked != 1 {
		t.Fatalf("live message = %s, want the number masked", live.raw)
	}
	rev := agent.do("reveal", map[string]any{"conversation": conv, "message": live.Message.ID, "index": 0})
	if rev.Type != "revealed" || rev.Value != "13812345678" {
		t.Fatalf("reveal = %s", rev.raw)
	}

	agent.must("note", map[string]any{"conversation": conv, "client_id": "n1", "text": "用户情绪稳定，查线路"})
	agent.want("note", func(f aframe) bool { return f.Note.Text == "用户情绪稳定，查线路" })
	agent.must("reply", map[string]any{"conversation": conv, "client_id": "a1", "text": "您好，我来帮您查一下线路"})
	echo := agent.want("message", func(f aframe) bool { return f.Message.From == "agent" })
	if echo.Message.ClientID != "a1" {
		t.Fatalf("own reply echoed as %s, want client_id a1", echo.raw)
	}
	// The subscriber's next message from anyone is the agent's reply: the
	// bot stayed silent on their message and the note never reached them.
	reply, _ := sub.until(func(f frame) bool { return f.Type == "message" && f.From != "subscriber" })
	if reply.From != "agent" || reply.Text != "您好，我来帮您查一下线路" {
		t.Fatalf("subscriber got %+v, want the agent's reply", reply)
	}

	agent.must("close", map[string]any{"conversation": conv, "code": "resolved", "summary": "线路已恢复"})
	if rel := agent.want("released", nil); rel.Why != "closed" {
		t.Fatalf("released = %s", rel.raw)
	}
	agent.want("me", func(f aframe) bool { return f.Agent.State == "wrap_up" })
	survey := sub.next("system")
	if !strings.Contains(survey.Text, "打分") || len(survey.QuickReplies) != 5 {
		t.Fatalf("close notice = %+v, want the rating question with 5 buttons", survey)
	}
	_, thanks := sub.ask("s3", "5")
	if thanks.From != "bot" {
		t.Fatalf("after the rating the bot answers, got %+v", thanks)
	}

	g.stop()
	assertAudited(t, dataDir, "li.na", "sign_in", "state", "routed", "reveal", "note", "reply", "close")
}

func hasMessage(ms []amessage, from, text string) bool {
	for _, m := range ms {
		if m.From == from && strings.Contains(m.Text, text) {
			return true
		}
	}
	return false
}

// assertAudited checks the audit log in the data folder has each action
// of the agent.
func assertAudited(t *testing.T, dataDir, agent string, actions ...string) {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, sqldb.Options{DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := sqldb.NewAuditLog(db).AuditEntries(ctx, handoff.AuditQuery{Actor: agent, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, e := range entries {
		got[string(e.Action)] = true
		if strings.Contains(e.Detail, "13812345678") {
			t.Errorf("audit detail %q repeats the number", e.Detail)
		}
	}
	for _, a := range actions {
		if !got[a] {
			t.Errorf("audit log of %s lacks %s; has %v", agent, a, got)
		}
	}
}

// Two agents accepting the same conversation at the same moment: one
// gets it, the other is told it is taken.
func TestAgent_ConcurrentAcceptHasOneWinner(t *testing.T) {
	// Supervisors of no group are never routed a complaint (its group is
	// complaints) but may accept it, so only their clicks decide.
	sup1 := testAgent{id: "sup.one", name: "班长一", role: "supervisor", max: 3}
	sup2 := testAgent{id: "sup.two", name: "班长二", role: "supervisor", max: 3}
	g := startDesk(t, nil, sup1, sup2, testAgent{id: "busy", name: "忙", role: "agent", groups: []string{"complaints"}, max: 1})
	busy := openConsole(t, g.addr, "busy")
	busy.ready()
	a, b := openConsole(t, g.addr, "sup.one"), openConsole(t, g.addr, "sup.two")
	a.ready()
	b.ready()

	// The complaints agent takes a first complaint and is then full, so
	// the second one waits.
	first := dial(t, g.addr, nil)
	first.hello("", "")
	first.ask("c1", "我要投诉")
	first.send(map[string]string{"type": "message", "client_id": "c2", "payload": "agent:complaint", "text": "转人工"})
	busy.want("assigned", nil)

	second := dial(t, g.addr, nil)
	second.hello("", "")
	second.ask("d1", "我要投诉")
	second.send(map[string]string{"type": "message", "client_id": "d2", "payload": "agent:complaint", "text": "转人工"})
	q := a.want("queue", func(f aframe) bool { return len(f.Entries) == 1 })
	if q.Entries[0].Reason != "complaint" || q.Entries[0].Priority != handoff.PriorityComplaint {
		t.Fatalf("queue = %s, want the complaint first with complaint priority", q.raw)
	}
	conv := q.Entries[0].Conversation

	var wg sync.WaitGroup
	answers := make([]aframe, 2)
	reqs := []string{a.send("accept", map[string]any{"conversation": conv}),
		b.send("accept", map[string]any{"conversation": conv})}
	for i, c := range []*agentSocket{a, b} {
		wg.Go(func() { answers[i] = c.answer(reqs[i]) })
	}
	wg.Wait()
	wantOneWinner(t, answers)
	if joined := second.next("system"); !strings.Contains(joined.Text, "班长") {
		t.Fatalf("subscriber told %q", joined.Text)
	}
}

// An agent whose console goes away keeps the conversation through the
// grace period; after it, the conversation goes back to the head of the
// queue, the subscriber is told, and another agent gets it.
func TestAgent_DisconnectReturnsConversationsAfterGrace(t *testing.T) {
	g := startDesk(t, map[string]string{"HOTLINE_AGENT_GRACE": "1s", "HOTLINE_AGENT_TICK": "50ms"},
		liNa, zhaoLi)
	first := openConsole(t, g.addr, "li.na")
	first.ready()

	sub := dial(t, g.addr, nil)
	sub.hello("", "")
	sub.send(map[string]string{"type": "message", "client_id": "s1", "text": "人工客服"})
	conv := first.want("assigned", nil).View.Conversation
	sub.next("system") // joined

	// Back within the grace period: the agent still has it.
	_ = first.ws.Close()
	again := openConsole(t, g.addr, "li.na")
	if got := again.want("assigned", nil); got.View.Conversation != conv {
		t.Fatalf("after reconnecting the agent holds %q, want %q", got.View.Conversation, conv)
	}

	other := openConsole(t, g.addr, "zhao.li")
	other.ready()
	_ = again.ws.Close()
	lost := sub.next("system")
	if !strings.Contains(lost.Text, "队首") {
		t.Fatalf("subscriber told %q, want back at the head of the queue", lost.Text)
	}
	if got := other.want("assigned", nil); got.View.Conversation != conv {
		t.Fatalf("other agent got %q, want %q", got.View.Conversation, conv)
	}
	if joined := sub.next("system"); !strings.Contains(joined.Text, "赵丽") {
		t.Fatalf("subscriber told %q, want the new agent", joined.Text)
	}
}

// A transfer to another agent tells the subscriber who is with them now
// and hands the note on; a transfer to a group puts the conversation back
// in the queue.
func TestAgent_Transfer(t *testing.T) {
	g := startDesk(t, nil, liNa, zhaoLi)
	from := openConsole(t, g.addr, "li.na")
	from.ready()
	sub := dial(t, g.addr, nil)
	sub.hello("", "")
	sub.send(map[string]string{"type": "message", "client_id": "s1", "text": "转人工"})
	conv := from.want("assigned", nil).View.Conversation
	sub.next("system")

	to := openConsole(t, g.addr, "zhao.li")
	if f := from.do("transfer", map[string]any{"conversation": conv, "agent": "zhao.li", "note": "x"}); f.Code != "unavailable" {
		t.Fatalf("transfer to an agent not ready = %s, want unavailable", f.raw)
	}
	to.ready()
	from.must("transfer", map[string]any{"conversation": conv, "agent": "zhao.li", "note": "账单问题，已核实身份"})
	if rel := from.want("released", nil); rel.Why != "transferred" {
		t.Fatalf("released = %s", rel.raw)
	}
	got := to.want("assigned", nil)
	if got.View.Conversation != conv || got.View.Entry.Note != "账单问题，已核实身份" || len(got.View.Notes) != 1 {
		t.Fatalf("receiving agent's view = %s, want the note", got.raw)
	}
	if told := sub.next("system"); !strings.Contains(told.Text, "赵丽") {
		t.Fatalf("subscriber told %q", told.Text)
	}

	to.must("transfer", map[string]any{"conversation": conv, "group": "billing", "note": "请账务组处理"})
	if told := sub.next("system"); !strings.Contains(told.Text, "转接") {
		t.Fatalf("subscriber told %q, want a transfer to a team", told.Text)
	}
	// An agent outside billing does not see the billing queue.
	to.want("queue", func(f aframe) bool { return len(f.Entries) == 0 })
	if f := from.do("accept", map[string]any{"conversation": conv}); f.Code != "not_in_group" {
		t.Fatalf("accept by an agent outside billing = %s, want not_in_group", f.raw)
	}
}

// With no agent ready the subscriber is told so at once and offered a
// call back; a wait past the limit is handled the same way.
func TestAgent_NoAgentAndQueueLimit(t *testing.T) {
	one := testAgent{id: "solo", name: "单人", role: "agent", max: 1}
	g := startDesk(t, map[string]string{"HOTLINE_AGENT_WAIT_LIMIT": "1s", "HOTLINE_AGENT_TICK": "50ms"}, one)

	early := dial(t, g.addr, nil)
	early.hello("", "")
	_, r := early.ask("e1", "转人工")
	if !strings.Contains(r.Text, "没有") && !strings.Contains(r.Text, "暂无") || !offers(r, "callback") {
		t.Fatalf("with nobody ready: %+v, want no agent and a call back", r)
	}

	agent := openConsole(t, g.addr, "solo")
	agent.ready()
	busy := dial(t, g.addr, nil)
	busy.hello("", "")
	busy.send(map[string]string{"type": "message", "client_id": "b1", "text": "转人工"})
	agent.want("assigned", nil)

	waiting := dial(t, g.addr, nil)
	waiting.hello("", "")
	_, place := waiting.ask("w1", "转人工")
	if !strings.Contains(place.Text, "第1位") || !offers(place, "leave_queue") {
		t.Fatalf("queued reply = %+v, want place 1 and a way out", place)
	}
	expired := waiting.next("system")
	if !offers(expired, "callback") {
		t.Fatalf("after the wait limit: %+v, want a call back offered", expired)
	}
	if q := agent.want("queue", func(f aframe) bool { return len(f.Entries) == 0 }); len(q.Entries) != 0 {
		t.Fatal("the expired conversation is still queued")
	}
}

func offers(f frame, payload string) bool {
	for _, q := range f.QuickReplies {
		if q.Payload == payload {
			return true
		}
	}
	return false
}

// Sign-in: a wrong password and an unknown name get the same answer,
// repeated failures are throttled, the socket needs a session and the
// gateway's own origin, and signing out ends the socket with bye.
func TestAgent_SignIn(t *testing.T) {
	g := startDesk(t, nil, liNa)
	if ck, status := signIn(t, g.addr, "li.na", "wrong password!"); ck != nil || status != http.StatusUnauthorized {
		t.Fatalf("wrong password: HTTP %d", status)
	}
	if _, status := signIn(t, g.addr, "nobody", "wrong password!"); status != http.StatusUnauthorized {
		t.Fatalf("unknown name: HTTP %d", status)
	}
	resp, err := http.Get("http://" + g.addr + "/agent/api/me")
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("me without a session: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	if _, resp, err := dialRaw(g.addr, http.Header{}); err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("socket without a session: %v", err)
	}

	ck, status := signIn(t, g.addr, "li.na", testPassword)
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
		t.Fatalf("sign in: HTTP %d cookie %+v", status, ck)
	}
	if _, resp, err := dialRaw(g.addr, http.Header{"Cookie": {ck.String()}, "Origin": {"https://evil.example"}}); err == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("socket from another origin: %v", err)
	}
	c := dialConsole(t, g.addr, ck)
	req, _ := http.NewRequest(http.MethodPost, "http://"+g.addr+"/agent/api/signout", nil)
	req.AddCookie(ck)
	out, err := http.DefaultClient.Do(req)
	if err != nil || out.StatusCode != http.StatusNoContent {
		t.Fatalf("sign out: %v", err)
	}
	out.Body.Close()
	if bye := c.want("bye", nil); bye.Reason != "signed_out" {
		t.Fatalf("bye = %s", bye.raw)
	}
	if _, status := signIn(t, g.addr, "li.na", testPassword); status != http.StatusOK {
		t.Fatalf("sign in again: HTTP %d", status)
	}

	for range 5 {
		signIn(t, g.addr, "li.na", "wrong password!")
	}
	if _, status := signIn(t, g.addr, "li.na", testPassword); status != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures: HTTP %d, want 429", status)
	}
}

func dialRaw(addr string, h http.Header) (*http.Response, *http.Response, error) {
	ws, resp, err := websocketDial("ws://"+addr+"/agent/ws", h)
	if ws != nil {
		_ = ws.Close()
	}
	return resp, resp, err
}

// A conversation handed over from a form carries the answers given so
// far, sensitive ones masked, and goes to the form's skill group.
func TestAgent_FormDetailsReachTheAgent(t *testing.T) {
	bb := testAgent{id: "bb", name: "宽带组", role: "agent", groups: []string{"broadband"}, max: 2}
	g := startDesk(t, nil, bb)
	agent := openConsole(t, g.addr, "bb")
	agent.ready()

	sub := dial(t, g.addr, nil)
	sub.hello("", "")
	sub.ask("f1", "家里宽带断网了")
	for i, answer := range []string{"01012345678", "朝阳区建国路88号"} {
		_, r := sub.ask("f"+string(rune('2'+i)), answer)
		if r.Type == "" {
			t.Fatal("no prompt")
		}
	}
	sub.send(map[string]string{"type": "message", "client_id": "f9", "payload": "agent", "text": "转人工"})
	got := agent.want("assigned", nil)
	if got.View.Entry.Group != "broadband" {
		t.Fatalf("group = %q, want broadband", got.View.Entry.Group)
	}
	if len(got.View.Details) == 0 {
		t.Fatalf("view = %s, want the form's answers", got.raw)
	}
	for _, d := range got.View.Details {
		if strings.Contains(d.Value, "01012345678") || strings.Contains(d.Value, "建国路88号") {
			t.Fatalf("detail %s shown unmasked: %q", d.Key, d.Value)
		}
	}
	sensitive := 0
	for _, d := range got.View.Details {
		if d.Sensitive {
			sensitive++
		}
	}
	if sensitive == 0 {
		t.Fatalf("details = %+v, want the number and address marked sensitive", got.View.Details)
	}
}

// From the conversation an agent opens a ticket for the subscriber and
// moves it on; the subscriber's tickets are in the view with their
// deadlines, and a ticket of someone else reads as no ticket.
func TestAgent_TicketsFromTheConsole(t *testing.T) {
	g := startDesk(t, nil, liNa)
	agent := openConsole(t, g.addr, "li.na")
	agent.ready()
	sub := dial(t, g.addr, nil)
	sub.hello("", "")
	sub.send(map[string]string{"type": "message", "client_id": "s1", "text": "转人工"})
	conv := agent.want("assigned", nil).View.Conversation

	req := agent.send("ticket_open", map[string]any{"conversation": conv, "kind": "fault",
		"category": "broadband_down", "summary": "宽带断网，光猫红灯"})
	if f := agent.answer(req); f.Type != "ok" {
		t.Fatalf("ticket_open: %s", f.raw)
	}
	tf := agent.want("ticket", nil)
	var tk struct {
		ID        string `json:"id"`
		Status    string `json:"status"`
		ResolveBy string `json:"resolve_by"`
	}
	if err := json.Unmarshal(tf.Ticket, &tk); err != nil || tk.ID == "" || tk.Status != "new" || tk.ResolveBy == "" {
		t.Fatalf("ticket frame = %s (%v)", tf.raw, err)
	}

	agent.must("ticket_update", map[string]any{"conversation": conv, "ticket": tk.ID,
		"status": "in_progress", "note": "已派单"})
	if upd := agent.want("ticket", nil); !strings.Contains(string(upd.Ticket), "in_progress") {
		t.Fatalf("updated ticket = %s", upd.raw)
	}
	if f := agent.do("ticket_update", map[string]any{"conversation": conv, "ticket": "TK20200101-000001",
		"status": "resolved", "note": "x"}); f.Code != "not_found" {
		t.Fatalf("update of another's ticket = %s, want not_found", f.raw)
	}
	agent.must("open", map[string]any{"conversation": conv})
	view := agent.want("conversation", nil).View
	if len(view.Tickets) != 1 || view.Tickets[0].ID != tk.ID {
		t.Fatalf("view tickets = %+v, want %s", view.Tickets, tk.ID)
	}
}

// A supervisor sees every queue and the roster, may open any conversation
// and follows it live; an agent may not open one they do not hold.
func TestAgent_SupervisorSeesAll(t *testing.T) {
	boss := testAgent{id: "boss", name: "班长", role: "supervisor", max: 1}
	bb := testAgent{id: "bb", name: "宽带", role: "agent", groups: []string{"broadband"}, max: 1}
	mob := testAgent{id: "mob", name: "移动", role: "agent", groups: []string{"mobile"}, max: 1}
	g := startDesk(t, nil, boss, bb, mob)
	sup := openConsole(t, g.addr, "boss")
	agent := openConsole(t, g.addr, "bb")
	other := openConsole(t, g.addr, "mob")
	agent.ready()
	other.ready()

	sub := dial(t, g.addr, nil)
	sub.hello("", "")
	sub.send(map[string]string{"type": "message", "client_id": "s1", "text": "转人工"})
	conv := agent.want("assigned", nil).View.Conversation // any group: the least busy agent
	roster := sup.want("agents", func(f aframe) bool {
		for _, a := range f.Agents {
			if a.ID == "bb" && a.Load == 1 {
				return true
			}
		}
		return false
	})
	if len(roster.Agents) != 3 {
		t.Fatalf("roster = %s", roster.raw)
	}

	if f := other.do("open", map[string]any{"conversation": conv}); f.Code != "not_yours" {
		t.Fatalf("an agent opened a conversation they do not hold: %s", f.raw)
	}
	sup.must("open", map[string]any{"conversation": conv})
	if v := sup.want("conversation", nil).View; v.Conversation != conv || v.Entry.Agent == "" {
		t.Fatalf("supervisor's view = %+v", v)
	}
	sub.send(map[string]string{"type": "message", "client_id": "s2", "text": "还要多久"})
	if m := sup.want("message", func(f aframe) bool { return f.Message.From == "subscriber" }); m.Conversation != conv {
		t.Fatalf("supervisor follows %q, want %q", m.Conversation, conv)
	}
}

// Outside the desk's hours a subscriber is told when agents are back and
// offered a call back, even with an agent ready.
func TestAgent_OutsideBusinessHours(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	o := deskOptions(t, t.TempDir(), nil, liNa)
	shippedHours(t, o.Args[1])
	o.Clock = &movableClock{at: time.Date(2026, 12, 4, 23, 30, 0, 0, shanghai)} // hours are 08:00-22:00
	g := startGatewayWith(t, o)
	agent := openConsole(t, g.addr, "li.na")
	agent.ready()

	sub := dial(t, g.addr, nil)
	sub.hello("", "")
	_, r := sub.ask("s1", "转人工")
	if !strings.Contains(r.Text, "8:00") && !strings.Contains(r.Text, "08:00") || !offers(r, "callback") {
		t.Fatalf("outside hours: %+v, want the opening time and a call back", r)
	}
}

// A waiting subscriber on the web chat is told each better place as the
// queue moves, and an agent's wrap-up ends by itself.
func TestAgent_QueuePlaceAndWrapUpTimer(t *testing.T) {
	one := testAgent{id: "solo", name: "单人", role: "agent", max: 1}
	g := startDesk(t, map[string]string{"HOTLINE_AGENT_WRAP_UP": "1s", "HOTLINE_AGENT_TICK": "50ms"}, one)
	agent := openConsole(t, g.addr, "solo")
	agent.ready()

	subs := make([]*client, 3)
	var held string
	for i := range subs {
		subs[i] = dial(t, g.addr, nil)
		subs[i].hello("", "")
		subs[i].send(map[string]string{"type": "message", "client_id": "s", "text": "转人工"})
		if i == 0 {
			held = agent.want("assigned", nil).View.Conversation
		} else {
			agent.want("queue", func(f aframe) bool { return len(f.Entries) == i })
		}
	}
	first := agent.want("me", func(f aframe) bool { return f.Agent.Load == 1 })
	if first.Agent.State != "busy" {
		t.Fatalf("agent at capacity is %q, want busy", first.Agent.State)
	}

	agent.must("close", map[string]any{"conversation": held, "code": "resolved", "summary": ""})
	agent.want("me", func(f aframe) bool { return f.Agent.State == "wrap_up" })
	agent.want("me", func(f aframe) bool { return f.Agent.State == "ready" || f.Agent.State == "busy" })
	agent.want("assigned", nil) // the head of the queue, once wrap-up is over

	moved := subs[2].next("system")
	if !strings.Contains(moved.Text, "第1位") {
		t.Fatalf("the last subscriber was told %q, want place 1", moved.Text)
	}
}

// HOTLINE_BOOTSTRAP_ADMIN creates the first supervisor, who can sign in
// to the console; a second start with another value creates nobody.
func TestAgent_BootstrapSupervisor(t *testing.T) {
	dataDir := t.TempDir()
	g := startDeskIn(t, dataDir, map[string]string{"HOTLINE_BOOTSTRAP_ADMIN": "admin:first-password-1"})
	c := openConsoleAs(t, g.addr, "admin", "first-password-1")
	if c.Agent.Role != "supervisor" {
		t.Fatalf("bootstrap account = %+v, want a supervisor", c.Agent)
	}
	g.stop()

	g = startDeskIn(t, dataDir, map[string]string{"HOTLINE_BOOTSTRAP_ADMIN": "other:second-password-2"})
	if ck, status := signIn(t, g.addr, "other", "second-password-2"); ck != nil || status != http.StatusUnauthorized {
		t.Fatalf("a second bootstrap created an account: HTTP %d", status)
	}
	openConsoleAs(t, g.addr, "admin", "first-password-1")
}

// openConsoleAs signs in with a password and returns the welcome frame.
func openConsoleAs(t *testing.T, addr, name, password string) aframe {
	t.Helper()
	ck, status := signIn(t, addr, name, password)
	if ck == nil {
		t.Fatalf("sign in %s: HTTP %d", name, status)
	}
	h := http.Header{"Cookie": {ck.String()}, "Origin": {"http://" + addr}}
	ws, _, err := websocketDial("ws://"+addr+"/agent/ws", h)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	var f aframe
	if err := ws.ReadJSON(&f); err != nil || f.Type != "welcome" {
		t.Fatalf("first frame %+v (%v), want welcome", f, err)
	}
	return f
}

// movableClock is a wall clock a test moves forward.
type movableClock struct {
	mu sync.Mutex
	at time.Time
}

// Now returns the clock's time.
func (c *movableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *movableClock) advance(d time.Duration) {
	c.mu.Lock()
	c.at = c.at.Add(d)
	c.mu.Unlock()
}

// A console session left unused past agent.session_idle ends: the next
// frame gets bye, and the socket closes.
func TestAgent_SessionExpires(t *testing.T) {
	clock := &movableClock{at: time.Now()}
	o := deskOptions(t, t.TempDir(), nil, liNa)
	o.Clock = clock
	g := startGatewayWith(t, o)
	c := openConsole(t, g.addr, "li.na")
	c.send("ping", nil)
	c.want("pong", nil)

	clock.advance(31 * time.Minute) // the shipped idle limit is 30 minutes
	c.send("ping", nil)
	if bye := c.want("bye", nil); bye.Reason != "expired" {
		t.Fatalf("bye = %s, want expired", bye.raw)
	}
	if _, status := signIn(t, g.addr, "li.na", testPassword); status != http.StatusOK {
		t.Fatalf("signing in again: HTTP %d", status)
	}
}
