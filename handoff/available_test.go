package handoff

import (
	"context"
	"testing"
	"time"
)

func TestDesk_Available(t *testing.T) {
	ctx := context.Background()

	t.Run("by agents", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		check := func(want Unavailable) {
			t.Helper()
			av, err := d.Available(ctx, "billing")
			if err != nil || av.Reason != want || av.OK() != (want == "") {
				t.Fatalf("available = %+v, %v; want %q", av, err, want)
			}
		}
		check(UnavailableNoAgents)
		readyAgent(t, d, "m1", 1, "mobile")
		check(UnavailableNoAgents)
		readyAgent(t, d, "b1", 1, "billing")
		check("")
		if _, err := d.SetState(ctx, "b1", StateBreak); err != nil {
			t.Fatal(err)
		}
		check(UnavailableAllBusy)
	})

	t.Run("outside business hours", func(t *testing.T) {
		h, loc := testHours(t)
		clk := &testClock{now: time.Date(2026, 10, 1, 10, 0, 0, 0, loc)}
		d, err := NewDesk(NewMemStore(), clk.Now, Config{Hours: h}, nil)
		if err != nil {
			t.Fatal(err)
		}
		readyAgent(t, d, "a1", 1)
		av, err := d.Available(ctx, "")
		want := time.Date(2026, 10, 3, 9, 0, 0, 0, loc)
		if err != nil || av.Reason != UnavailableClosed || !av.NextOpen.Equal(want) {
			t.Fatalf("available = %+v, %v; want closed until %v", av, err, want)
		}
		clk.now = want
		if av, _ := d.Available(ctx, ""); !av.OK() {
			t.Fatalf("available at opening = %+v", av)
		}
	})
}
