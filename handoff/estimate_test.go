package handoff

import (
	"context"
	"testing"
	"time"
)

func TestDesk_Estimate(t *testing.T) {
	ctx := context.Background()

	t.Run("free slots first, then the default handling time", func(t *testing.T) {
		d, clk := newTestDesk(t, Config{DefaultHandleTime: 6 * time.Minute})
		readyAgent(t, d, "a1", 2, "billing")
		readyAgent(t, d, "m1", 3, "mobile")
		for _, id := range []string{"b1", "b2", "b3"} {
			enqueue(t, d, id, "billing", PriorityNormal)
			enqueue(t, d, "mob-"+id, "mobile", PriorityNormal)
			clk.Advance(time.Second)
		}
		want := map[string]time.Duration{"b1": 0, "b2": 0, "b3": 3 * time.Minute}
		for id, wait := range want {
			est, err := d.Estimate(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !est.Known || est.Slots != 2 || est.Free != 2 || est.Wait != wait {
				t.Errorf("%s: %+v, want slots 2, free 2, wait %v", id, est, wait)
			}
		}
		if est, _ := d.Estimate(ctx, "b3"); est.Position != 3 {
			t.Errorf("b3 position %d, want 3 (mobile entries do not count)", est.Position)
		}
	})

	t.Run("the handling time of recent closes", func(t *testing.T) {
		d, clk := newTestDesk(t, Config{DefaultHandleTime: time.Minute})
		readyAgent(t, d, "a1", 1)
		enqueue(t, d, "done", "", PriorityNormal)
		if _, err := d.Accept(ctx, "a1", "done"); err != nil {
			t.Fatal(err)
		}
		clk.Advance(10 * time.Minute)
		if _, err := d.Close(ctx, "done", "a1", WrapUp{Code: "solved"}); err != nil {
			t.Fatal(err)
		}
		enqueue(t, d, "held", "", PriorityNormal)
		if _, err := d.Accept(ctx, "a1", "held"); err != nil {
			t.Fatal(err)
		}
		enqueue(t, d, "e1", "", PriorityNormal)
		clk.Advance(time.Second)
		enqueue(t, d, "e2", "", PriorityNormal)

		for id, wait := range map[string]time.Duration{"e1": 10 * time.Minute, "e2": 20 * time.Minute} {
			est, err := d.Estimate(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if est.HandleTime != 10*time.Minute || est.Free != 0 || est.Wait != wait {
				t.Errorf("%s: %+v, want handling 10m, wait %v", id, est, wait)
			}
		}
	})

	t.Run("unknown without agents", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		enqueue(t, d, "c1", "complaints", PriorityComplaint)
		est, err := d.Estimate(ctx, "c1")
		if err != nil || est.Known || est.Position != 1 {
			t.Fatalf("estimate = %+v, %v; want position 1, unknown wait", est, err)
		}
	})

	t.Run("assigned conversations have no estimate", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		readyAgent(t, d, "a1", 1)
		enqueue(t, d, "c1", "", PriorityNormal)
		if _, err := d.Accept(ctx, "a1", "c1"); err != nil {
			t.Fatal(err)
		}
		_, err := d.Estimate(ctx, "c1")
		wantErr(t, err, ErrTaken)
	})
}
