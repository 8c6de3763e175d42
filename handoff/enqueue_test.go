package handoff

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestDesk_Enqueue(t *testing.T) {
	ctx := context.Background()

	t.Run("a retry returns the waiting entry", func(t *testing.T) {
		d, clk := newTestDesk(t, Config{})
		first := enqueue(t, d, "c1", "billing", PriorityNormal)
		clk.Advance(time.Minute)
		again, created, err := d.Enqueue(ctx, Request{ConversationID: "c1", Channel: "sms",
			Group: "mobile", Priority: PriorityComplaint})
		if err != nil || created {
			t.Fatalf("created = %v, err = %v; want the existing entry", created, err)
		}
		if again.Group != "billing" || !again.EnqueuedAt.Equal(first.EnqueuedAt) {
			t.Fatalf("entry changed on retry: %+v", again)
		}
		if got := queueIDs(t, d); !slices.Equal(got, []string{"c1"}) {
			t.Fatalf("queue = %v, want one entry", got)
		}
	})

	t.Run("a retry while assigned makes no second entry", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		readyAgent(t, d, "a1", 2)
		enqueue(t, d, "c1", "", PriorityNormal)
		if _, err := d.Accept(ctx, "a1", "c1"); err != nil {
			t.Fatal(err)
		}
		e, created, err := d.Enqueue(ctx, Request{ConversationID: "c1", Channel: "webchat"})
		if err != nil || created || e.Status != StatusAssigned || e.AgentID != "a1" {
			t.Fatalf("got %+v created=%v err=%v; want the assigned entry", e, created, err)
		}
		if got := queueIDs(t, d); len(got) != 0 {
			t.Fatalf("queue = %v, want empty", got)
		}
	})

	t.Run("concurrent enqueues make one entry", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		created := make(chan bool, 20)
		for range 20 {
			go func() {
				_, c, err := d.Enqueue(ctx, Request{ConversationID: "c1", Channel: "wechat"})
				if err != nil {
					t.Error(err)
				}
				created <- c
			}()
		}
		n := 0
		for range 20 {
			if <-created {
				n++
			}
		}
		if n != 1 || len(queueIDs(t, d)) != 1 {
			t.Fatalf("%d creations and %d entries, want 1 and 1", n, len(queueIDs(t, d)))
		}
	})

	t.Run("missing fields are refused", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		_, _, err := d.Enqueue(ctx, Request{ConversationID: "c1"})
		wantErr(t, err, ErrInvalid)
	})
}

func TestDesk_Leave(t *testing.T) {
	ctx := context.Background()
	d, _ := newTestDesk(t, Config{})
	readyAgent(t, d, "a1", 1)
	enqueue(t, d, "c1", "", PriorityNormal)
	enqueue(t, d, "c2", "", PriorityNormal)
	if _, err := d.Accept(ctx, "a1", "c1"); err != nil {
		t.Fatal(err)
	}

	left, err := d.Leave(ctx, "c2")
	if err != nil || left.ConversationID != "c2" {
		t.Fatalf("leave c2: %+v, %v", left, err)
	}
	if got := queueIDs(t, d); len(got) != 0 {
		t.Fatalf("queue = %v, want empty", got)
	}
	_, err = d.Leave(ctx, "c1")
	wantErr(t, err, ErrTaken)
	_, err = d.Leave(ctx, "c2")
	wantErr(t, err, ErrNotFound)
}
