package main

import (
	"strings"
	"testing"
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
