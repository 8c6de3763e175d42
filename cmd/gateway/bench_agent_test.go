package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Shape of the agent latency benchmark: 100 conversations at once, held
// by 50 agents with two each, every conversation exchanging a message
// every benchPace. The pace keeps each agent's console under its frame
// rate limit while the gateway carries 500 exchanges a second.
const (
	benchConversations = 100
	benchAgents        = 50
	benchPace          = 200 * time.Millisecond
)

// BenchmarkAgentLatency measures, in one run of one gateway, the time
// from a subscriber's web chat message to its arrival in the agent's
// console and from the agent's reply back to the subscriber, at 100
// concurrent conversations; and the web chat round trip (message in,
// answer from the knowledge base out) at the same concurrency and pace.
// b.N is the number of exchanges of each kind.
func BenchmarkAgentLatency(b *testing.B) {
	var agents []testAgent
	for i := range benchAgents {
		agents = append(agents, testAgent{id: fmt.Sprintf("agent%02d", i), name: fmt.Sprintf("坐席%02d", i),
			role: "agent", max: benchConversations / benchAgents})
	}
	g := startDesk(b, map[string]string{
		"HOTLINE_WEBCHAT_RATE_PER_SECOND": "1000", "HOTLINE_WEBCHAT_RATE_BURST": "1000",
		"HOTLINE_LOG_LEVEL": "error", "HOTLINE_AGENT_WAIT_LIMIT": "0",
	}, agents...)

	consoles := make([]*benchConsole, 0, benchAgents)
	for _, a := range agents {
		consoles = append(consoles, newBenchConsole(b, g.addr, a.id))
	}
	subs := make([]*websocket.Conn, benchConversations)
	for i := range subs {
		subs[i] = benchSubscriber(b, g.addr)
		handToAgent(b, subs[i], i)
	}
	for _, c := range consoles {
		c.waitHolding(b, benchConversations/benchAgents)
	}
	bots := make([]*websocket.Conn, benchConversations)
	for i := range bots {
		bots[i] = benchSubscriber(b, g.addr)
	}

	b.ResetTimer()
	bot := paced(b, bots, func(ws *websocket.Conn, id string) (time.Duration, time.Duration) {
		rt := botRoundTrip(b, ws, id)
		return rt, rt
	})
	human := paced(b, subs, func(ws *websocket.Conn, id string) (time.Duration, time.Duration) {
		return agentExchange(b, ws, id, consoles)
	})
	b.StopTimer()

	report(b, "webchat", bot.total)
	report(b, "to_agent", human.first)
	report(b, "agent_exchange", human.total)
	b.ReportMetric(float64(pct(human.total, 99)-pct(bot.total, 99))/1e6, "p99_gap_ms")
}

// latencies are the samples of one phase.
type latencies struct {
	mu           sync.Mutex
	first, total []time.Duration
}

// paced runs b.N exchanges spread over the connections, each connection
// starting one every benchPace (with a staggered start).
func paced(b *testing.B, conns []*websocket.Conn,
	one func(ws *websocket.Conn, id string) (time.Duration, time.Duration)) *latencies {
	out := &latencies{}
	per := (b.N + len(conns) - 1) / len(conns)
	var wg sync.WaitGroup
	for i, ws := range conns {
		wg.Go(func() {
			time.Sleep(benchPace * time.Duration(i) / time.Duration(len(conns)))
			tick := time.NewTicker(benchPace)
			defer tick.Stop()
			for n := range per {
				first, total := one(ws, fmt.Sprintf("q-%d-%d", i, n))
				out.mu.Lock()
				out.first, out.total = append(out.first, first), append(out.total, total)
				out.mu.Unlock()
				<-tick.C
			}
		})
	}
	wg.Wait()
	return out
}

func report(b *testing.B, name string, d []time.Duration) {
	b.ReportMetric(float64(pct(d, 50))/1e6, name+"_p50_ms")
	b.ReportMetric(float64(pct(d, 99))/1e6, name+"_p99_ms")
}

// pct is the p-th percentile of the samples.
func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

// benchSubscriber opens a web chat session.
func benchSubscriber(b *testing.B, addr string) *websocket.Conn {
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/chat/ws", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ws.Close() })
	benchHello(b, ws)
	return ws
}

// handToAgent asks for a person and waits until an agent has joined.
func handToAgent(b *testing.B, ws *websocket.Conn, i int) {
	msg := map[string]string{"type": "message", "client_id": fmt.Sprintf("h%d", i), "text": "转人工"}
	if err := ws.WriteJSON(msg); err != nil {
		b.Fatal(err)
	}
	for {
		var f frame
		if err := ws.ReadJSON(&f); err != nil {
			b.Fatal(err)
		}
		if f.Type == "message" && f.From == "system" && strings.Contains(f.Text, "坐席") {
			return
		}
	}
}

// botRoundTrip sends a question and waits for the bot's answer.
func botRoundTrip(b *testing.B, ws *websocket.Conn, id string) time.Duration {
	start := time.Now()
	if err := roundTrip(ws, true, id); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// agentExchange sends a message that the agent's console answers at once;
// it returns the time to the console and the time to the answer.
func agentExchange(b *testing.B, ws *websocket.Conn, id string, consoles []*benchConsole) (time.Duration, time.Duration) {
	start := time.Now()
	msg, _ := json.Marshal(map[string]string{"type": "message", "client_id": id, "text": id})
	if err := ws.WriteMessage(websocket.TextMessage, msg); err != nil {
		b.Fatal(err)
	}
	want := "re " + id
	for {
		var f frame
		if err := ws.ReadJSON(&f); err != nil {
			b.Fatal(err)
		}
		if f.Type == "message" && f.From == "agent" && f.Text == want {
			total := time.Since(start)
			return arrival(consoles, id).Sub(start), total
		}
		if f.Type == "message" && f.From == "bot" {
			b.Fatalf("the bot spoke in an agent's conversation: %q", f.Text)
		}
	}
}

// arrival is when a message reached its agent's console.
func arrival(consoles []*benchConsole, id string) time.Time {
	for _, c := range consoles {
		c.mu.Lock()
		at, ok := c.seen[id]
		delete(c.seen, id)
		c.mu.Unlock()
		if ok {
			return at
		}
	}
	return time.Time{}
}

// benchConsole is an agent who answers every subscriber message at once.
type benchConsole struct {
	ws      *websocket.Conn
	mu      sync.Mutex
	seen    map[string]time.Time // message text → when it arrived
	holding int
	held    chan struct{}
	n       int
}

func newBenchConsole(b *testing.B, addr, id string) *benchConsole {
	ck, status := signIn(b, addr, id, testPassword)
	if ck == nil {
		b.Fatalf("sign in %s: HTTP %d", id, status)
	}
	h := http.Header{"Cookie": {ck.String()}, "Origin": {"http://" + addr}}
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/agent/ws", h)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ws.Close() })
	c := &benchConsole{ws: ws, seen: map[string]time.Time{}, held: make(chan struct{}, 16)}
	if err := ws.WriteJSON(map[string]string{"type": "state", "req": "ready", "state": "ready"}); err != nil {
		b.Fatal(err)
	}
	go c.run()
	return c
}

// run reads the console's frames and answers subscriber messages.
func (c *benchConsole) run() {
	var mu sync.Mutex // one writer
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		at := time.Now()
		var f aframe
		if json.Unmarshal(data, &f) != nil {
			continue
		}
		switch {
		case f.Type == "assigned":
			c.held <- struct{}{}
		case f.Type == "message" && f.Message.From == "subscriber" && strings.HasPrefix(f.Message.Text, "q-"):
			c.mu.Lock()
			c.seen[f.Message.Text] = at
			c.n++
			n := c.n
			c.mu.Unlock()
			reply := map[string]string{"type": "reply", "req": fmt.Sprintf("r%d", n),
				"conversation": f.Conversation, "client_id": fmt.Sprintf("a%d", n), "text": "re " + f.Message.Text}
			mu.Lock()
			_ = c.ws.WriteJSON(reply)
			mu.Unlock()
		}
	}
}

// waitHolding waits until the agent was given n conversations.
func (c *benchConsole) waitHolding(b *testing.B, n int) {
	for range n {
		select {
		case <-c.held:
		case <-time.After(20 * time.Second):
			b.Fatal("agent was not given their conversations")
		}
	}
}
