package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline/tickets"
)

// The SMS provider fails for a minute, first with 500s and then by not
// answering at all: the replies wait, are tried again with backoff, and
// once the provider is back each is sent exactly once, in the
// conversation's order. A provider that took a send and then timed out
// cannot be told from one that did not take it; this fake takes none.
func TestFaults_SMSProviderErrorsThenTimeouts(t *testing.T) {
	api := newTwilioAPI(t)
	clock := &movableClock{at: time.Now()}
	env := twilioEnv(nil, api)
	g := startGatewayWith(t, Options{
		Args:   []string{"-config", testConfig(t), "-addr", "127.0.0.1:0", "-data", t.TempDir()},
		Getenv: func(k string) string { return env[k] }, Clock: clock,
	})
	x := &texter{t: t, addr: g.addr, phone: "+8613300133001", api: api}

	api.setFailure("error")
	questions := []string{"营业厅几点开门", "怎么开发票", "宽带怎么移机"}
	for i, q := range questions {
		x.post(fmt.Sprint("SMfail", i), q)
	}
	waitUntil(t, "a send refused with a 500", func() bool { return api.refusals() >= 1 })
	// A minute of 500s: the clock moves on in steps so the backoff runs,
	// and each step waits for the outbox's next rescan to try again.
	for step := range 2 {
		before := api.refusals()
		clock.advance(30 * time.Second)
		waitUntil(t, fmt.Sprintf("try %d during the 500s", step+2), func() bool { return api.refusals() > before })
	}
	errors := api.refusals()

	api.setFailure("hang")
	clock.advance(5 * time.Minute) // past any backoff: the next try hangs
	waitUntil(t, "a send left without an answer", func() bool { return api.refusals() > errors })
	api.setFailure("")
	deadline := time.Now().Add(40 * time.Second)
	for len(api.to(x.phone)) < len(questions) && time.Now().Before(deadline) {
		clock.advance(30 * time.Second)
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // room for a wrong second send

	got := api.to(x.phone)
	if len(got) != len(questions) {
		t.Fatalf("sent %d replies, want %d once each: %q", len(got), len(questions), got)
	}
	for i, want := range []string{"营业", "发票", "移机"} {
		if !strings.Contains(got[i], want) {
			t.Fatalf("reply %d is %q, want the answer about %s: the order is %q", i, got[i], want, got)
		}
	}
}

// WeChat's API says it is busy (-1), then that the follower's window is
// closed (45015): the busy send is tried again and delivered once; the
// closed window is not retried, and the agent is told the reply did not
// reach the follower.
func TestFaults_WeChatBusyThenWindowClosed(t *testing.T) {
	g := startDesk(t, wechatEnv(nil), liNa)
	agent := openConsole(t, g.addr, "li.na")
	agent.ready()
	f := follower{t: t, addr: g.addr, openID: "oWX-faults-0001"}
	f.say("转人工", 4001)
	conv := agent.want("assigned", nil).View.Conversation
	api := wechatAPI()
	waitUntil(t, "the joining notice through the API", func() bool { return len(api.sentTo(f.openID)) == 1 })

	api.failNext(f.openID, -1)
	agent.must("reply", map[string]any{"conversation": conv, "client_id": "busy", "text": "系统繁忙也要送到"})
	deadline := time.Now().Add(30 * time.Second)
	for countOf(api.sentTo(f.openID), "系统繁忙也要送到") == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the reply after -1 was not delivered: %q", api.sentTo(f.openID))
		}
		time.Sleep(50 * time.Millisecond)
	}

	tries := api.tried(f.openID)
	api.failNext(f.openID, 45015)
	agent.must("reply", map[string]any{"conversation": conv, "client_id": "late", "text": "窗口已关闭的回复"})
	failed := agent.want("delivery", nil)
	if failed.Conversation != conv {
		t.Fatalf("delivery frame = %s, want the conversation's", failed.raw)
	}
	time.Sleep(6 * time.Second) // past the first backoff: a wrong retry would be tried by now
	if n := api.tried(f.openID) - tries; n != 1 {
		t.Errorf("the 45015 send was tried %d times, want once", n)
	}
	sent := api.sentTo(f.openID)
	if countOf(sent, "系统繁忙也要送到") != 1 || countOf(sent, "窗口已关闭的回复") != 0 {
		t.Errorf("sent %q: want the busy reply once and the late one never", sent)
	}
}

func countOf(texts []string, text string) int {
	n := 0
	for _, s := range texts {
		if s == text {
			n++
		}
	}
	return n
}

// flakyCRM answers 500s, then hangs past the gateway's timeout, then
// works; it records the events it accepted by idempotency key.
type flakyCRM struct {
	mu        sync.Mutex
	until500  time.Time
	untilHang time.Time
	tries     int
	accepted  map[string]int
	order     []int64 // the seq of each event accepted the first time
}

func (f *flakyCRM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.tries++
	now := time.Now()
	switch {
	case now.Before(f.until500):
		f.mu.Unlock()
		w.WriteHeader(http.StatusInternalServerError)
		return
	case now.Before(f.untilHang):
		f.mu.Unlock()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		return
	}
	defer f.mu.Unlock()
	var e tickets.CRMEvent
	if err := json.Unmarshal(body, &e); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	key := r.Header.Get(tickets.HeaderIdempotencyKey)
	f.accepted[key]++
	if f.accepted[key] == 1 {
		f.order = append(f.order, e.Seq)
	}
}

// The CRM fails with 500s and then by timing out: the relay keeps the
// events, backs off, and when the CRM is back delivers each once, in
// order; the tickets themselves were never held up.
func TestFaults_CRMErrorsThenTimeouts(t *testing.T) {
	crm := &flakyCRM{until500: time.Now().Add(3 * time.Second), untilHang: time.Now().Add(6 * time.Second),
		accepted: map[string]int{}}
	srv := httptest.NewServer(crm)
	defer srv.Close()
	g := startGateway(t, t.TempDir(), ticketEnv(map[string]string{
		"HOTLINE_CRM_URL": srv.URL, "HOTLINE_CRM_SECRET": crmSecret, "HOTLINE_CRM_TIMEOUT": "1s",
	}))
	api := newAPI(t, g)
	for i := range 3 {
		status, body := api.call("POST", "/tickets", map[string]any{"kind": "fault",
			"summary": fmt.Sprint("CRM 故障测试 ", i), "phone": "13900002222"}, "")
		if status != http.StatusCreated {
			t.Fatalf("open ticket %d while the CRM is down: %d %v", i, status, body)
		}
	}

	deadline := time.Now().Add(60 * time.Second)
	for {
		crm.mu.Lock()
		n := len(crm.order)
		crm.mu.Unlock()
		if n == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of 3 events reached the CRM", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // room for a wrong second delivery

	crm.mu.Lock()
	defer crm.mu.Unlock()
	if crm.tries < 5 {
		t.Errorf("%d tries in all, want the failures retried", crm.tries)
	}
	for key, n := range crm.accepted {
		if n != 1 {
			t.Errorf("event %s accepted %d times", key, n)
		}
	}
	for i := 1; i < len(crm.order); i++ {
		if crm.order[i-1] >= crm.order[i] {
			t.Errorf("events out of order: %v", crm.order)
		}
	}
}
