package handoff

import (
	"context"
	"testing"
	"time"
)

func TestDesk_Close(t *testing.T) {
	ctx := context.Background()

	t.Run("wrap-up then ready after the timer", func(t *testing.T) {
		d, clk := newTestDesk(t, Config{WrapUp: 30 * time.Second})
		readyAgent(t, d, "a1", 1)
		enqueue(t, d, "c1", "", PriorityNormal)
		if _, err := d.Accept(ctx, "a1", "c1"); err != nil {
			t.Fatal(err)
		}
		clk.Advance(4 * time.Minute)
		c, err := d.Close(ctx, "c1", "a1", WrapUp{Code: "solved", Summary: "reset router"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Handled != 4*time.Minute || c.WrapUp.Code != "solved" {
			t.Fatalf("closed = %+v", c)
		}
		if _, err := d.Entry(ctx, "c1"); err == nil {
			t.Fatal("closed conversation still on the desk")
		}
		a := agentOf(t, d, "a1")
		if a.State != StateWrapUp || !a.WrapUpUntil.Equal(clk.Now().Add(30*time.Second)) {
			t.Fatalf("agent = %+v, want wrap-up for 30s", a)
		}

		enqueue(t, d, "c2", "", PriorityNormal)
		if got, _ := d.Route(ctx); len(got) != 0 {
			t.Fatalf("routed %+v to an agent in wrap-up", got)
		}
		clk.Advance(29 * time.Second)
		if s, _ := d.Sweep(ctx); len(s.Ready) != 0 {
			t.Fatalf("wrap-up ended early: %+v", s)
		}
		clk.Advance(time.Second)
		s, err := d.Sweep(ctx)
		if err != nil || len(s.Ready) != 1 || agentOf(t, d, "a1").State != StateReady {
			t.Fatalf("sweep = %+v, %v; want a1 ready", s, err)
		}
		if got, _ := d.Route(ctx); len(got) != 1 {
			t.Fatalf("after wrap-up, routed %+v", got)
		}
	})

	t.Run("no wrap-up time means ready at once", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		readyAgent(t, d, "a1", 1)
		enqueue(t, d, "c1", "", PriorityNormal)
		if _, err := d.Accept(ctx, "a1", "c1"); err != nil {
			t.Fatal(err)
		}
		if agentOf(t, d, "a1").State != StateBusy {
			t.Fatal("agent at capacity is not busy")
		}
		if _, err := d.Close(ctx, "c1", "a1", WrapUp{Code: "solved"}); err != nil {
			t.Fatal(err)
		}
		if a := agentOf(t, d, "a1"); a.State != StateReady {
			t.Fatalf("state = %s, want ready", a.State)
		}
	})

	t.Run("refused cases", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		readyAgent(t, d, "a1", 1)
		readyAgent(t, d, "a2", 1)
		enqueue(t, d, "c1", "", PriorityNormal)
		_, err := d.Close(ctx, "c1", "a1", WrapUp{Code: "solved"})
		wantErr(t, err, ErrNotAssigned)
		if _, err := d.Accept(ctx, "a1", "c1"); err != nil {
			t.Fatal(err)
		}
		_, err = d.Close(ctx, "c1", "a2", WrapUp{Code: "solved"})
		wantErr(t, err, ErrNotAssigned)
		_, err = d.Close(ctx, "c1", "a1", WrapUp{})
		wantErr(t, err, ErrInvalid)
	})
}

func TestStats_Add(t *testing.T) {
	var s Stats
	s = s.add(10*time.Minute, 0.5)
	if s.HandleTime != 10*time.Minute || s.Samples != 1 {
		t.Fatalf("first sample: %+v, want it taken as is", s)
	}
	s = s.add(4*time.Minute, 0.5)
	if s.HandleTime != 7*time.Minute || s.Samples != 2 {
		t.Fatalf("second sample: %+v, want 7m", s)
	}
}
