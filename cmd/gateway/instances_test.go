package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// A web chat subscriber whose reconnect lands on another instance resumes
// there: the history is replayed and the conversation goes on.
func TestInstances_WebChatResumesOnAnother(t *testing.T) {
	env := sharedEnv(t, nil)
	a, b := startInstance(t, env), startInstance(t, env)

	onA := dial(t, a.addr, nil)
	w, _ := onA.hello("", "")
	_, first := onA.ask("c1", "营业厅几点开门")
	if !strings.Contains(first.Text, "营业") {
		t.Fatalf("answer on A: %q", first.Text)
	}
	_ = onA.ws.Close()

	onB := dial(t, b.addr, nil)
	again, history := onB.hello(w.Session, "")
	if !again.Resumed || again.Session != w.Session {
		t.Fatalf("on B: %+v, want session %s resumed", again, w.Session)
	}
	texts := ""
	for _, f := range history {
		texts += f.Text + "\n"
	}
	if !strings.Contains(texts, "营业厅几点开门") || !strings.Contains(texts, first.Text) {
		t.Fatalf("B replayed %q, want the question and answer from A", texts)
	}
	if _, reply := onB.ask("c2", "怎么开发票"); !strings.Contains(reply.Text, "发票") {
		t.Fatalf("answer on B: %q", reply.Text)
	}
}

// WeChat's retry of a message that lands on another instance is still a
// repeat: one reply, no second piece of work.
func TestInstances_WeChatRetryOnAnother(t *testing.T) {
	env := sharedEnv(t, wechatEnv(nil))
	a, b := startInstance(t, env), startInstance(t, env)
	openID := "oWX-instances-0001"
	fa := follower{t: t, addr: a.addr, openID: openID}
	fb := follower{t: t, addr: b.addr, openID: openID}
	if reply := fa.say("营业厅几点开门", 88001); !strings.Contains(reply, "营业") {
		t.Fatalf("first delivery on A: %q", reply)
	}
	if reply := fb.say("营业厅几点开门", 88001); reply != "" {
		t.Fatalf("the retry on B was answered again: %q", reply)
	}
	if sent := wechatAPI().sentTo(openID); len(sent) != 0 {
		t.Fatalf("the retry made a customer-service message: %q", sent)
	}
}

// kill -9 of an instance mid-conversation: the subscriber continues on
// another, and nothing the dead one acknowledged is lost.
func TestInstances_KillOneMidConversation(t *testing.T) {
	env := sharedEnv(t, nil)
	a, b := startInstance(t, env), startInstance(t, env)

	onA := dial(t, a.addr, nil)
	w, _ := onA.hello("", "")
	questions := []string{"营业厅几点开门", "怎么开发票", "宽带怎么移机"}
	for i, q := range questions {
		if ack, _ := onA.ask("k"+string(rune('1'+i)), q); ack.Type != "ack" {
			t.Fatalf("no ack for %q", q)
		}
	}
	a.kill()

	onB := dial(t, b.addr, nil)
	again, history := onB.hello(w.Session, "")
	if !again.Resumed {
		t.Fatalf("on B: %+v, want a resume", again)
	}
	seen := map[string]int{}
	for _, f := range history {
		if f.From == "subscriber" {
			seen[f.Text]++
		}
	}
	for _, q := range questions {
		if seen[q] != 1 {
			t.Fatalf("after the crash B has %q %d times, want once: %v", q, seen[q], seen)
		}
	}
	if _, reply := onB.ask("k9", "携号转网要什么条件"); reply.Text == "" {
		t.Fatal("no answer on B after the crash")
	}
}

// Each background job runs on one instance at a time; when that one dies,
// another takes it over within the job lease.
func TestInstances_OneRunsEachJobWithFailover(t *testing.T) {
	env := sharedEnv(t, map[string]string{"HOTLINE_REDIS_JOB_LEASE": "1s"})
	a, b := startInstance(t, env), startInstance(t, env)
	const started = `msg="background job runs on this instance" component=singleton job=deadline-scan`
	runs := func(in *instance) bool { return strings.Contains(in.logs.String(), started) }
	waitUntil(t, "an instance to run the deadline scan", func() bool { return runs(a) || runs(b) })
	time.Sleep(1500 * time.Millisecond) // more than a lease: the other would have taken it by now
	if runs(a) && runs(b) {
		t.Fatal("both instances run the deadline scan")
	}
	holder, other := a, b
	if runs(b) {
		holder, other = b, a
	}
	holder.kill()
	start := time.Now()
	waitUntil(t, "the other instance to take the deadline scan over", func() bool { return runs(other) })
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("the take-over took %v with a 1 s lease", d)
	}
}

// ownRedis is a redis-server of the test's own, which it can stop and
// start again on the same port.
type ownRedis struct {
	t    *testing.T
	port string
	dir  string
	cmd  *exec.Cmd
}

func startOwnRedis(t *testing.T) *ownRedis {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		msg := "redis-server is needed for this test (apt-get install redis-server)"
		if os.Getenv("HOTLINE_REQUIRE_SERVICES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	_, port, _ := net.SplitHostPort(freeAddr(t))
	r := &ownRedis{t: t, port: port, dir: t.TempDir()}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *ownRedis) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", r.port, "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no", "--dir", r.dir)
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	waitUntil(r.t, "the test's redis-server", func() bool {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+r.port, 100*time.Millisecond)
		if err == nil {
			_ = c.Close()
		}
		return err == nil
	})
}

func (r *ownRedis) stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
	}
}

// readiness returns the status of an instance's readiness probe.
func readiness(t *testing.T, addr string) int {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A Redis restart: the instance reports not ready while Redis is away,
// keeps every message it accepts (they are in PostgreSQL), and is ready
// again by itself when Redis is back.
func TestInstances_RedisRestart(t *testing.T) {
	rd := startOwnRedis(t)
	env := sharedEnv(t, map[string]string{"HOTLINE_REDIS_URL": "redis://127.0.0.1:" + rd.port + "/0"})
	in := startInstance(t, env)
	if st := readiness(t, in.addr); st != http.StatusOK {
		t.Fatalf("ready before: %d", st)
	}
	chat := dial(t, in.addr, nil)
	w, _ := chat.hello("", "")

	rd.stop()
	waitUntil(t, "not ready without Redis", func() bool { return readiness(t, in.addr) == http.StatusServiceUnavailable })
	if _, reply := chat.ask("r1", "营业厅几点开门"); !strings.Contains(reply.Text, "营业") {
		t.Fatalf("a web chat question while Redis is away: %q", reply.Text)
	}

	rd.start()
	waitUntil(t, "ready again with Redis back", func() bool { return readiness(t, in.addr) == http.StatusOK })
	again := dial(t, in.addr, nil)
	if _, history := again.hello(w.Session, ""); len(history) < 2 {
		t.Fatalf("after the restart the conversation has %d messages, want the question and answer", len(history))
	}
}

// A message one instance commits for a web chat whose socket another
// instance holds (here a ticket notice from the instance running the
// notice relay) reaches the socket at once, through Redis.
func TestInstances_NoticeReachesASocketOnAnother(t *testing.T) {
	env := sharedEnv(t, ticketEnv(nil))
	a, b := startInstance(t, env), startInstance(t, env)
	const relay = `msg="background job runs on this instance" component=singleton job=ticket-notices`
	waitUntil(t, "an instance to run the notice relay", func() bool {
		return strings.Contains(a.logs.String(), relay) || strings.Contains(b.logs.String(), relay)
	})
	leader, other := a, b
	if strings.Contains(b.logs.String(), relay) {
		leader, other = b, a
	}

	c := startChat(t, &gw{addr: other.addr})
	id, _ := c.confirm(c.reportBroadband("朝阳", "朝阳区建国路88号3单元502"))
	if st, body := newAPI(t, &gw{addr: leader.addr}).call("PATCH", "/tickets/"+id,
		map[string]any{"status": "in_progress"}, "relay-1"); st != http.StatusOK {
		t.Fatalf("PATCH: %d %v", st, body)
	}
	notice, _ := c.until(func(f frame) bool { return f.Type == "message" && strings.Contains(f.Text, id) })
	if notice.From != "system" {
		t.Fatalf("the notice came as %+v", notice)
	}
}

// An agent signed in on one instance serves a subscriber on another: the
// shared desk routes the conversation, the agent's console sees the
// subscriber's messages live, and the agent's reply reaches the
// subscriber's socket.
func TestInstances_AgentOnOneSubscriberOnAnother(t *testing.T) {
	env := sharedEnv(t, nil)
	a, b := startDeskInstance(t, env, liNa), startDeskInstance(t, env, liNa)
	agent := openConsole(t, a.addr, "li.na")
	agent.ready()

	sub := dial(t, b.addr, nil)
	sub.hello("", "")
	sub.send(map[string]string{"type": "message", "client_id": "s1", "text": "转人工"})
	if joined := sub.next("system"); !strings.Contains(joined.Text, "李娜") {
		t.Fatalf("join notice = %q", joined.Text)
	}
	as := agent.want("assigned", nil)
	conv := as.View.Conversation

	sub.send(map[string]string{"type": "message", "client_id": "s2", "text": "宽带断了"})
	agent.want("message", func(f aframe) bool { return f.Message.From == "subscriber" && f.Message.Text == "宽带断了" })
	agent.must("reply", map[string]any{"conversation": conv, "client_id": "a1", "text": "您好，我来查一下"})
	if got := sub.next("agent"); got.Text != "您好，我来查一下" {
		t.Fatalf("the subscriber on the other instance got %q", got.Text)
	}
}

// Two supervisors on two instances accept the same waiting conversation
// at once: exactly one wins.
func TestInstances_ConcurrentAcceptAcrossInstances(t *testing.T) {
	sup1 := testAgent{id: "sup.one", name: "班长一", role: "supervisor", max: 3}
	sup2 := testAgent{id: "sup.two", name: "班长二", role: "supervisor", max: 3}
	env := sharedEnv(t, nil)
	a, b := startDeskInstance(t, env, sup1, sup2), startDeskInstance(t, env, sup1, sup2)
	one, two := openConsole(t, a.addr, "sup.one"), openConsole(t, b.addr, "sup.two")
	one.ready()
	two.ready()

	// Supervisors of no group are never routed a complaint (its group is
	// complaints) but may accept it, so it waits for their clicks.
	sub := dial(t, a.addr, nil)
	sub.hello("", "")
	sub.send(map[string]string{"type": "message", "client_id": "c1", "payload": "agent:complaint", "text": "转人工"})
	q := two.want("queue", func(f aframe) bool { return len(f.Entries) == 1 })
	conv := q.Entries[0].Conversation

	reqs := []string{one.send("accept", map[string]any{"conversation": conv}),
		two.send("accept", map[string]any{"conversation": conv})}
	answers := []aframe{one.answer(reqs[0]), two.answer(reqs[1])}
	wantOneWinner(t, answers)
}

// deskPair starts two instances sharing a desk with quick presence and a
// short grace, an agent signed in on the first and a subscriber on the
// second whom the agent holds.
func deskPair(t *testing.T) (agentSide, subSide *instance, agent *agentSocket, sub *client, conv string) {
	t.Helper()
	env := sharedEnv(t, map[string]string{"HOTLINE_AGENT_PRESENCE": "300ms", "HOTLINE_AGENT_GRACE": "3s",
		"HOTLINE_REDIS_JOB_LEASE": "1s"})
	agentSide, subSide = startDeskInstance(t, env, liNa), startDeskInstance(t, env, liNa)
	agent = openConsole(t, agentSide.addr, "li.na")
	agent.ready()
	sub = dial(t, subSide.addr, nil)
	sub.hello("", "")
	sub.send(map[string]string{"type": "message", "client_id": "s1", "text": "转人工"})
	if joined := sub.next("system"); !strings.Contains(joined.Text, "李娜") {
		t.Fatalf("join notice = %q", joined.Text)
	}
	return agentSide, subSide, agent, sub, agent.want("assigned", nil).View.Conversation
}

// kill -9 of the agent's instance: the agent's console reconnects to the
// other instance within the grace period and carries on with the
// conversation.
func TestInstances_AgentReconnectsAfterTheirInstanceDies(t *testing.T) {
	agentSide, subSide, _, sub, conv := deskPair(t)
	agentSide.kill()

	again := openConsole(t, subSide.addr, "li.na")
	if as := again.want("assigned", nil); as.View.Conversation != conv {
		t.Fatalf("after the reconnect the agent holds %s, want %s", as.View.Conversation, conv)
	}
	again.must("reply", map[string]any{"conversation": conv, "client_id": "r1", "text": "我还在，继续为您处理"})
	if got := sub.next("agent"); got.Text != "我还在，继续为您处理" {
		t.Fatalf("the subscriber got %q", got.Text)
	}
}

// kill -9 of the agent's instance, and the agent does not come back: the
// desk notices the console is gone, and after the grace period the
// conversation goes back to the head of the queue with the subscriber
// told; nothing stays stuck with a vanished agent.
func TestInstances_VanishedAgentsConversationGoesBack(t *testing.T) {
	agentSide, _, _, sub, _ := deskPair(t)
	agentSide.kill()
	lost := sub.next("system")
	if !strings.Contains(lost.Text, "连接中断") {
		t.Fatalf("the subscriber was told %q, want the lost agent", lost.Text)
	}
}

// Three instances behind a round-robin load balancer, under load from
// several web chat subscribers who reconnect after every few messages (so
// each lands on instance after instance), while one instance is killed.
// Like the page, a subscriber whose socket drops reconnects and sends the
// unacknowledged message again. Afterwards every message is in its
// subscriber's transcript exactly once and answered; nobody is stuck.
func TestInstances_ThreeBehindALoadBalancerWithAKill(t *testing.T) {
	env := sharedEnv(t, benchLoad)
	ins := []*instance{startInstance(t, env), startInstance(t, env), startInstance(t, env)}
	lb := startRoundRobin(t, ins[0].addr, ins[1].addr, ins[2].addr)

	const subscribers, messages, perSocket = 6, 12, 3
	var wg sync.WaitGroup
	sessions := make([]string, subscribers)
	failed := make([]error, subscribers)
	var sent atomic.Int64
	for s := range subscribers {
		wg.Go(func() {
			x := &lbSubscriber{lb: lb.addr()}
			for m := range messages {
				if m%perSocket == 0 {
					x.close()
				}
				id := fmt.Sprintf("s%d-m%d", s, m)
				if err := x.ask(id, benchQuestions[(s+m)%len(benchQuestions)]); err != nil {
					failed[s] = fmt.Errorf("%s: %w", id, err)
					return
				}
				if sent.Add(1) == subscribers*messages/2 {
					ins[1].kill() // half-way through, one instance dies
				}
			}
			x.close()
			sessions[s] = x.session
		})
	}
	wg.Wait()

	for s, session := range sessions {
		if failed[s] != nil {
			t.Fatalf("subscriber %d: %v", s, failed[s])
		}
		c := dial(t, lb.addr(), nil)
		_, history := c.hello(session, "")
		count := map[string]int{}
		answers := map[string]int{} // bot messages after each question, before the next
		last := ""
		for _, f := range history {
			switch f.From {
			case "subscriber":
				count[f.ClientID]++
				last = f.ClientID
			case "bot":
				answers[last]++
			}
		}
		for m := range messages {
			id := fmt.Sprintf("s%d-m%d", s, m)
			if count[id] != 1 {
				t.Errorf("subscriber %d: %s is in the transcript %d times, want once", s, id, count[id])
			}
			if answers[id] != 1 {
				t.Errorf("subscriber %d: %s has %d answers, want one", s, id, answers[id])
			}
		}
	}
}

// lbSubscriber is a web chat subscriber behind the load balancer that,
// like the page, reconnects and resends when its socket drops.
type lbSubscriber struct {
	lb      string
	ws      *websocket.Conn
	session string
	backend string // the local address of the socket, for failure reports
}

// ask sends a message until it is acknowledged and answered, reconnecting
// (and resending with the same client id) as often as needed.
func (x *lbSubscriber) ask(id, text string) error {
	var tries []string
	for range 6 {
		err := x.connect()
		if err == nil {
			if err = x.try(id, text); err == nil {
				return nil
			}
		}
		tries = append(tries, fmt.Sprintf("via %s: %v", x.backend, err))
		x.close()
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("no answer after %d tries: %s", len(tries), strings.Join(tries, "; "))
}

// connect opens a socket through the load balancer and resumes the
// session.
func (x *lbSubscriber) connect() error {
	if x.ws != nil {
		return nil
	}
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+x.lb+"/chat/ws", nil)
	if err != nil {
		return err
	}
	x.ws, x.backend = ws, ws.LocalAddr().String()
	if err := ws.WriteJSON(map[string]string{"type": "hello", "session": x.session}); err != nil {
		return err
	}
	for {
		f, err := x.read()
		if err != nil {
			return err
		}
		if f.Type == "welcome" {
			x.session = f.Session
			break
		}
	}
	// The replay of the history ends with the pong to this ping.
	if err := ws.WriteJSON(map[string]string{"type": "ping"}); err != nil {
		return err
	}
	for {
		f, err := x.read()
		if err != nil || f.Type == "pong" {
			return err
		}
	}
}

// try sends one message and waits for its ack and for the bot's answer,
// which may come first; a message stored before (sent again after a
// drop) is acknowledged as a duplicate, its answer already stored.
func (x *lbSubscriber) try(id, text string) error {
	if err := x.ws.WriteJSON(map[string]string{"type": "message", "client_id": id, "text": text}); err != nil {
		return err
	}
	acked, answered := false, false
	for !acked || !answered {
		f, err := x.read()
		if err != nil {
			return err
		}
		switch {
		case f.Type == "ack" && f.ClientID == id:
			acked, answered = true, answered || f.Duplicate
		case f.Type == "message" && f.From == "bot":
			answered = true
		case f.Type == "error":
			return fmt.Errorf("error frame %s", f.Code)
		}
	}
	return nil
}

func (x *lbSubscriber) read() (frame, error) {
	// Longer than the engine's own bound on one message, so a message it
	// gave up on shows as an error frame rather than a timeout here.
	_ = x.ws.SetReadDeadline(time.Now().Add(20 * time.Second))
	var f frame
	err := x.ws.ReadJSON(&f)
	return f, err
}

func (x *lbSubscriber) close() {
	if x.ws != nil {
		_ = x.ws.Close()
		x.ws = nil
	}
}

// Failed sign-ins from one address count for every instance: five wrong
// passwords on one, and the sixth try on another is refused.
func TestInstances_SigninThrottleIsShared(t *testing.T) {
	env := sharedEnv(t, nil)
	a, b := startDeskInstance(t, env, liNa), startDeskInstance(t, env, liNa)
	for i := range 5 {
		if _, st := signIn(t, a.addr, "li.na", "wrong password"); st != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i+1, st)
		}
	}
	if _, st := signIn(t, b.addr, "li.na", testPassword); st != http.StatusTooManyRequests {
		t.Fatalf("the sixth try on the other instance: %d, want 429", st)
	}
}
