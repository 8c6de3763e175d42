package handoff

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestDesk_Presence(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T) (*Desk, *testClock) {
		d, clk := newTestDesk(t, Config{Grace: time.Minute})
		readyAgent(t, d, "a1", 2)
		enqueue(t, d, "c1", "", PriorityNormal)
		if _, err := d.Accept(ctx, "a1", "c1"); err != nil {
			t.Fatal(err)
		}
		return d, clk
	}

	t.Run("return within grace keeps the conversations", func(t *testing.T) {
		d, clk := setup(t)
		if _, err := d.Disconnect(ctx, "a1"); err != nil {
			t.Fatal(err)
		}
		clk.Advance(59 * time.Second)
		if s, err := d.Sweep(ctx); err != nil || len(s.Requeued) != 0 {
			t.Fatalf("sweep within grace = %+v, %v", s, err)
		}
		a, err := d.Reconnect(ctx, "a1")
		if err != nil || !a.Connected() || !a.Holds("c1") || a.State != StateReady {
			t.Fatalf("reconnected agent = %+v, %v", a, err)
		}
		if e := entryOf(t, d, "c1"); e.AgentID != "a1" {
			t.Fatalf("entry = %+v, want still with a1", e)
		}
	})

	t.Run("no return sends them to the head of the queue", func(t *testing.T) {
		d, clk := setup(t)
		enqueue(t, d, "waiting", "", PriorityNormal)
		if _, err := d.Disconnect(ctx, "a1"); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		s, err := d.Sweep(ctx)
		if err != nil || !slices.Equal(s.Requeued, []string{"c1"}) ||
			!slices.Equal(s.Offline, []string{"a1"}) {
			t.Fatalf("sweep = %+v, %v", s, err)
		}
		if got := queueIDs(t, d); !slices.Equal(got, []string{"c1", "waiting"}) {
			t.Fatalf("queue = %v, want c1 first", got)
		}
		a := agentOf(t, d, "a1")
		if a.State != StateOffline || len(a.Conversations) != 0 {
			t.Fatalf("agent = %+v, want offline with nothing", a)
		}
	})

	t.Run("a late return finds the agent offline", func(t *testing.T) {
		d, clk := setup(t)
		if _, err := d.Disconnect(ctx, "a1"); err != nil {
			t.Fatal(err)
		}
		clk.Advance(2 * time.Minute)
		a, err := d.Reconnect(ctx, "a1")
		if err != nil || a.State != StateOffline || len(a.Conversations) != 0 {
			t.Fatalf("agent = %+v, %v; want offline", a, err)
		}
		if e := entryOf(t, d, "c1"); e.Status != StatusWaiting || !e.Head {
			t.Fatalf("entry = %+v, want waiting at the head", e)
		}
	})
}
