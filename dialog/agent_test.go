package dialog_test

import (
	"context"
	"errors"
	"testing"

	"hotline/dialog"
)

// The service rating stays in the transcript as the payload of the
// subscriber's answer, typed or pressed, so reports can read it.
func TestAgentClose_RatingInTranscript(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t), withAgents(t, []agentSpec{{ID: "a1", Max: 1}}))
	for _, st := range []scriptTurn{{Say: "转人工"}, {Accept: "a1"}, {Close: "a1"}, {Say: "4分"}} {
		h.play(t, "", st)
	}
	msgs, err := h.store.MessagesAfter(context.Background(), h.conversationID(t), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for _, m := range msgs {
		if m.From == dialog.FromSubscriber && m.Text == "4分" {
			got = m.Payload
		}
	}
	if got != "rate:service:close-1:4" {
		t.Errorf("the rating answer carries payload %q, want rate:service:close-1:4", got)
	}
}

// An agent cannot reply to or close a conversation no agent holds.
func TestAgentEvents_NeedAnAgentsConversation(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t))
	h.play(t, "", scriptTurn{Say: "你好"})
	ev := dialog.AgentEvent{ID: "x1", Channel: "test", Address: "subscriber-1", AgentID: "a1", Text: "hi"}
	ctx := context.Background()
	if err := h.engine.AgentSaid(ctx, ev); !errors.Is(err, dialog.ErrNotWithAgent) {
		t.Errorf("reply outside an agent's conversation: %v, want ErrNotWithAgent", err)
	}
	if err := h.engine.AgentClosed(ctx, ev); !errors.Is(err, dialog.ErrNotWithAgent) {
		t.Errorf("close outside an agent's conversation: %v, want ErrNotWithAgent", err)
	}
	if err := h.engine.AgentSaid(ctx, dialog.AgentEvent{Channel: "test"}); err == nil {
		t.Error("an event without an id or agent was accepted")
	}
}
