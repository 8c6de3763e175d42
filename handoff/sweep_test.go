package handoff

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestDesk_Sweep_WaitLimit(t *testing.T) {
	ctx := context.Background()
	d, clk := newTestDesk(t, Config{WaitLimit: 10 * time.Minute})
	enqueue(t, d, "old", "", PriorityNormal)
	clk.Advance(5 * time.Minute)
	enqueue(t, d, "young", "", PriorityNormal)

	clk.Advance(5*time.Minute - time.Second)
	if s, err := d.Sweep(ctx); err != nil || len(s.Expired) != 0 {
		t.Fatalf("sweep before the limit = %+v, %v", s, err)
	}
	clk.Advance(time.Second)
	s, err := d.Sweep(ctx)
	if err != nil || len(s.Expired) != 1 || s.Expired[0].ConversationID != "old" {
		t.Fatalf("sweep = %+v, %v; want old expired", s, err)
	}
	if s.Expired[0].Address != "addr-old" {
		t.Fatal("expired entry lacks the address the caller needs to reach the subscriber")
	}
	if got := queueIDs(t, d); !slices.Equal(got, []string{"young"}) {
		t.Fatalf("queue = %v, want young left", got)
	}
}
