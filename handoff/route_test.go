package handoff

import (
	"context"
	"testing"
	"time"
)

func TestDesk_Route(t *testing.T) {
	ctx := context.Background()

	t.Run("least busy ready agent of the group", func(t *testing.T) {
		d, clk := newTestDesk(t, Config{})
		readyAgent(t, d, "busy-one", 3, "billing")
		readyAgent(t, d, "idle-one", 3, "billing")
		readyAgent(t, d, "mobile-only", 3, "mobile")
		enqueue(t, d, "warm-up", "billing", PriorityNormal)
		if _, err := d.Accept(ctx, "busy-one", "warm-up"); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		enqueue(t, d, "c1", "billing", PriorityNormal)

		got, err := d.Route(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0] != (Assignment{ConversationID: "c1", AgentID: "idle-one"}) {
			t.Fatalf("assignments = %+v, want c1 to idle-one", got)
		}
		if e := entryOf(t, d, "c1"); e.Status != StatusAssigned || e.AgentID != "idle-one" {
			t.Fatalf("entry = %+v", e)
		}
	})

	t.Run("ties go to the agent idle longest", func(t *testing.T) {
		d, clk := newTestDesk(t, Config{})
		readyAgent(t, d, "a-late", 2)
		clk.Advance(-time.Minute)
		readyAgent(t, d, "b-early", 2)
		clk.Advance(2 * time.Minute)
		enqueue(t, d, "c1", "", PriorityNormal)
		got, err := d.Route(ctx)
		if err != nil || len(got) != 1 || got[0].AgentID != "b-early" {
			t.Fatalf("assignments = %+v, %v; want b-early", got, err)
		}
	})

	t.Run("capacity is respected", func(t *testing.T) {
		d, clk := newTestDesk(t, Config{})
		readyAgent(t, d, "a1", 2, "broadband")
		for _, id := range []string{"c1", "c2", "c3"} {
			enqueue(t, d, id, "broadband", PriorityNormal)
			clk.Advance(time.Second)
		}
		got, err := d.Route(ctx)
		if err != nil || len(got) != 2 {
			t.Fatalf("assignments = %+v, %v; want two", got, err)
		}
		a := agentOf(t, d, "a1")
		if len(a.Conversations) != 2 || a.State != StateBusy {
			t.Fatalf("agent = %+v, want busy with two", a)
		}
		if q := queueIDs(t, d); len(q) != 1 || q[0] != "c3" {
			t.Fatalf("queue = %v, want c3 left", q)
		}
		if again, _ := d.Route(ctx); len(again) != 0 {
			t.Fatalf("routed %+v to a full agent", again)
		}
	})

	t.Run("an entry nobody serves does not block the rest", func(t *testing.T) {
		d, clk := newTestDesk(t, Config{})
		readyAgent(t, d, "a1", 1, "mobile")
		enqueue(t, d, "complaint", "complaints", PriorityComplaint)
		clk.Advance(time.Second)
		enqueue(t, d, "c2", "mobile", PriorityNormal)
		got, err := d.Route(ctx)
		if err != nil || len(got) != 1 || got[0].ConversationID != "c2" {
			t.Fatalf("assignments = %+v, %v; want c2", got, err)
		}
	})

	t.Run("head of the queue is served first", func(t *testing.T) {
		d, clk := newTestDesk(t, Config{})
		readyAgent(t, d, "a1", 1)
		enqueue(t, d, "normal", "", PriorityNormal)
		clk.Advance(time.Second)
		enqueue(t, d, "complaint", "", PriorityComplaint)
		got, err := d.Route(ctx)
		if err != nil || len(got) != 1 || got[0].ConversationID != "complaint" {
			t.Fatalf("assignments = %+v, %v; want the complaint", got, err)
		}
	})

	t.Run("agents on break, in wrap-up or disconnected get nothing", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		readyAgent(t, d, "on-break", 1)
		readyAgent(t, d, "gone", 1)
		if _, err := d.SetState(ctx, "on-break", StateBreak); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Disconnect(ctx, "gone"); err != nil {
			t.Fatal(err)
		}
		enqueue(t, d, "c1", "", PriorityNormal)
		if got, err := d.Route(ctx); err != nil || len(got) != 0 {
			t.Fatalf("assignments = %+v, %v; want none", got, err)
		}
	})
}
