package handoff

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestDesk_Transfer(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T) (*Desk, *testClock) {
		d, clk := newTestDesk(t, Config{})
		readyAgent(t, d, "a1", 1, "mobile")
		readyAgent(t, d, "a2", 2, "mobile", "billing")
		enqueue(t, d, "c1", "mobile", PriorityNormal)
		if _, err := d.Accept(ctx, "a1", "c1"); err != nil {
			t.Fatal(err)
		}
		return d, clk
	}

	t.Run("to an agent", func(t *testing.T) {
		d, _ := setup(t)
		e, err := d.Transfer(ctx, "c1", "a1", Target{AgentID: "a2"}, "wants a refund")
		if err != nil {
			t.Fatal(err)
		}
		if e.AgentID != "a2" || e.Note != "wants a refund" || e.Status != StatusAssigned {
			t.Fatalf("entry = %+v", e)
		}
		if a1 := agentOf(t, d, "a1"); len(a1.Conversations) != 0 || a1.State != StateReady {
			t.Fatalf("a1 = %+v, want ready with nothing", a1)
		}
		if a2 := agentOf(t, d, "a2"); !a2.Holds("c1") {
			t.Fatalf("a2 = %+v, want holding c1", a2)
		}
	})

	t.Run("to a group, at the head of the queue", func(t *testing.T) {
		d, clk := setup(t)
		enqueue(t, d, "older", "billing", PriorityNormal)
		if _, err := d.SetState(ctx, "a2", StateBreak); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		e, err := d.Transfer(ctx, "c1", "a1", Target{Group: "billing"}, "billing question")
		if err != nil {
			t.Fatal(err)
		}
		if e.Status != StatusWaiting || e.Group != "billing" || !e.Head || e.AgentID != "" {
			t.Fatalf("entry = %+v", e)
		}
		if got := queueIDs(t, d); !slices.Equal(got, []string{"c1", "older"}) {
			t.Fatalf("queue = %v, want c1 ahead of older", got)
		}
		if a1 := agentOf(t, d, "a1"); len(a1.Conversations) != 0 {
			t.Fatalf("a1 still holds %v", a1.Conversations)
		}
	})

	t.Run("refused cases", func(t *testing.T) {
		d, _ := setup(t)
		readyAgent(t, d, "billing-only", 1, "billing")
		_, err := d.Transfer(ctx, "c1", "a2", Target{AgentID: "a1"}, "")
		wantErr(t, err, ErrNotAssigned)
		_, err = d.Transfer(ctx, "c1", "a1", Target{AgentID: "billing-only"}, "")
		wantErr(t, err, ErrNotInGroup)
		_, err = d.Transfer(ctx, "c1", "a1", Target{AgentID: "a1"}, "")
		wantErr(t, err, ErrInvalid)
		if e := entryOf(t, d, "c1"); e.AgentID != "a1" {
			t.Fatalf("a refused transfer moved the conversation to %s", e.AgentID)
		}
	})
}
