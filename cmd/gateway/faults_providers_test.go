package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
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
		Args:   []string{"-config", "../../configs/gateway.yaml", "-addr", "127.0.0.1:0", "-data", t.TempDir()},
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
