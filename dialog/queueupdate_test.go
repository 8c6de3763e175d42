package dialog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"hotline/channels"
	"hotline/dialog"
	"hotline/handoff"
)

// queuedOn puts a subscriber of a channel in the queue and returns their
// entry.
func queuedOn(t *testing.T, h *harness, channel, address string) handoff.Entry {
	t.Helper()
	ctx := context.Background()
	in := channels.Inbound{Channel: channel, Address: address, Text: "转人工", ProviderID: channel + "-1"}
	r, err := h.engine.Receive(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	e, err := h.desk.Entry(ctx, r.ConversationID)
	if err != nil {
		t.Fatalf("%s subscriber not queued: %v", channel, err)
	}
	return e
}

// texts returns the system messages of a conversation.
func systemTexts(t *testing.T, h *harness, conversationID string) []string {
	t.Helper()
	msgs, err := h.store.MessagesAfter(context.Background(), conversationID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.From == dialog.FromSystem {
			out = append(out, m.Text)
		}
	}
	return out
}

// On the web chat every new place in the queue is told; on other
// channels (WeChat, SMS) one update at most, and a place told once is
// never told again.
func TestQueueMoved_LiveOnWebchatOnceElsewhere(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t), withAgents(t, []agentSpec{{ID: "a1", Max: 1}}))
	h.play(t, "", scriptTurn{Say: "转人工"})
	h.play(t, "", scriptTurn{Accept: "a1"}) // the only agent is now full
	web := queuedOn(t, h, "webchat", "w1")
	sms := queuedOn(t, h, "sms", "13800000001")

	ctx := context.Background()
	for _, pos := range []int{3, 2, 2, 1} {
		for _, e := range []handoff.Entry{web, sms} {
			if err := h.engine.QueueMoved(ctx, e, handoff.Estimate{Position: pos}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := systemTexts(t, h, web.ConversationID); len(got) != 3 || !strings.Contains(got[2], "第1位") {
		t.Errorf("web chat heard %q, want places 3, 2 and 1 once each", got)
	}
	if got := systemTexts(t, h, sms.ConversationID); len(got) != 1 || !strings.Contains(got[0], "第3位") {
		t.Errorf("SMS heard %q, want one update", got)
	}
}

// A lost agent and a transfer to a group put the conversation back in
// the queue, say so once, and leave the bot silent.
func TestAgentLostAndTransferRequeue(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t), withAgents(t, []agentSpec{{ID: "a1", Max: 2}}))
	h.play(t, "", scriptTurn{Say: "转人工"})
	h.play(t, "", scriptTurn{Accept: "a1"})
	ctx := context.Background()
	e, err := h.desk.Entry(ctx, h.conversationID(t))
	if err != nil {
		t.Fatal(err)
	}

	ev := dialog.AgentEvent{ID: "t1", Channel: string(e.Channel), Address: e.Address, AgentID: "a1", AgentName: "a1"}
	if _, err := h.desk.Transfer(ctx, e.ConversationID, "a1", handoff.Target{}, ""); err != nil {
		t.Fatal(err)
	}
	if err := h.engine.AgentTransferred(ctx, ev, true); err != nil {
		t.Fatal(err)
	}
	conv, _, err := h.engine.Transcript(ctx, e.ConversationID, 10)
	if err != nil || conv.State != dialog.StateWaitingAgent {
		t.Fatalf("after a transfer to a group: state %q, %v; want waiting_agent", conv.State, err)
	}
	if err := h.engine.AgentLost(ctx, "l1", e); err != nil {
		t.Fatal(err)
	}
	if got := systemTexts(t, h, e.ConversationID); len(got) != 2 {
		t.Fatalf("system messages %q: a lost agent in the queue says nothing", got)
	}

	if _, err := h.desk.Accept(ctx, "a1", e.ConversationID); err != nil {
		t.Fatal(err)
	}
	ev.ID = "j2"
	if err := h.engine.AgentJoined(ctx, ev); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the same loss reported twice is told once
		if err := h.engine.AgentLost(ctx, "l2", e); err != nil {
			t.Fatal(err)
		}
	}
	texts := systemTexts(t, h, e.ConversationID)
	if n := len(texts); n != 4 || !strings.Contains(texts[3], "连接中断") {
		t.Fatalf("system messages %q, want the loss told once", texts)
	}
}

// A subscriber whose agent the desk no longer knows (the desk's memory
// was lost) is told so and talks to the bot again, instead of writing
// into silence.
func TestWithAgent_DeskForgotTheConversation(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t), withAgents(t, []agentSpec{{ID: "a1", Max: 1}}))
	h.play(t, "", scriptTurn{Say: "转人工"})
	h.play(t, "", scriptTurn{Accept: "a1"})
	if w := h.play(t, "", scriptTurn{Say: "在吗"}); len(w.Replies) != 0 {
		t.Fatalf("the bot spoke while the agent holds the conversation: %+v", w.Replies)
	}
	ctx := context.Background()
	if _, err := h.desk.Close(ctx, h.conversationID(t), "a1", handoff.WrapUp{Code: "x"}); err != nil {
		t.Fatal(err)
	}
	w := h.play(t, "", scriptTurn{Say: "还在吗"})
	if w.State != dialog.StateAnswering || len(w.Replies) != 1 || !strings.Contains(w.Replies[0].Text, "中断") {
		t.Fatalf("after the desk forgot: %+v, want the bot back with an apology", w)
	}
}

// A new follower is welcomed with the main options; menu clicks start
// their actions, also in the middle of a form.
func TestEvents_FollowAndMenu(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t), withAgents(t, []agentSpec{{ID: "a1", Max: 1, State: "offline"}}))
	ctx := context.Background()
	send := func(ev *channels.Event, id string) []dialog.Message {
		t.Helper()
		h.rec.take()
		in := channels.Inbound{Channel: "test", Address: "subscriber-1", Event: ev, ProviderID: id}
		if _, err := h.engine.Receive(ctx, in); err != nil {
			t.Fatal(err)
		}
		return h.rec.take()
	}
	welcome := send(&channels.Event{Name: dialog.EventFollow}, "e1")
	if len(welcome) != 1 || len(welcome[0].QuickReplies) != 3 || !strings.Contains(welcome[0].Text, "您好") {
		t.Fatalf("welcome = %+v", welcome)
	}

	form := send(&channels.Event{Name: dialog.EventMenu, Key: dialog.MenuFault}, "e2")
	if len(form) == 0 {
		t.Fatal("the fault menu item said nothing")
	}
	h.play(t, "", scriptTurn{Say: "宽带断了"})
	mine := send(&channels.Event{Name: dialog.EventMenu, Key: dialog.MenuTickets}, "e3")
	if len(mine) < 2 || !strings.Contains(mine[0].Text, "取消") {
		t.Fatalf("tickets in the middle of a form = %+v, want the form cancelled then the list", mine)
	}
	agent := send(&channels.Event{Name: dialog.EventMenu, Key: dialog.MenuAgent}, "e4")
	if len(agent) != 1 || !offersCallback(agent[0]) {
		t.Fatalf("agent with nobody at work = %+v, want a call back offered", agent)
	}
}

func offersCallback(m dialog.Message) bool {
	for _, q := range m.QuickReplies {
		if q.Payload == "callback" {
			return true
		}
	}
	return false
}

// A location sent where a form asks for the address is taken as the
// address; an image there is declined and the question asked again.
func TestForm_LocationAnswersTheAddress(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t))
	ctx := context.Background()
	send := func(in channels.Inbound) []dialog.Message {
		t.Helper()
		h.rec.take()
		in.Channel, in.Address = "test", "subscriber-1"
		if _, err := h.engine.Receive(ctx, in); err != nil {
			t.Fatal(err)
		}
		return h.rec.take()
	}
	reply := send(channels.Inbound{Text: "家里宽带断了", ProviderID: "p1"})
	for i := 0; i < 6 && !strings.Contains(reply[len(reply)-1].Text, "地址"); i++ {
		answers := map[string]string{"宽带账号": "ad12345678", "哪个区": "朝阳区", "什么时候开始": "今天"}
		next := ""
		for q, a := range answers {
			if strings.Contains(reply[len(reply)-1].Text, q) {
				next = a
			}
		}
		if next == "" {
			t.Fatalf("unexpected question %q", reply[len(reply)-1].Text)
		}
		reply = send(channels.Inbound{Text: next, ProviderID: fmt.Sprint("p", i+2)})
	}
	image := send(channels.Inbound{ProviderID: "img", Attachments: []channels.Attachment{{Kind: "image", MediaID: "m"}}})
	if len(image) != 2 || !strings.Contains(image[0].Text, "文字") || !strings.Contains(image[1].Text, "地址") {
		t.Fatalf("image at the address question: %+v", image)
	}
	loc := send(channels.Inbound{ProviderID: "loc", Attachments: []channels.Attachment{{Kind: "location",
		Lat: 39.9, Lon: 116.4, Label: "北京市朝阳区建国路88号"}}})
	if len(loc) == 0 || strings.Contains(loc[len(loc)-1].Text, "详细地址") {
		t.Fatalf("after the location the form asks %+v, want the next question", loc)
	}
	conv, _, err := h.engine.Transcript(ctx, h.conversationID(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, v := range conv.Slots {
		if strings.Contains(v, "建国路88号") {
			found = true
		}
	}
	if !found {
		t.Fatalf("slots %v lack the location's address", conv.Slots)
	}
}
