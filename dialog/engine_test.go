package dialog_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"hotline/channels"
	"hotline/dialog"
)

// Messages sent at once to one conversation are each answered, and every
// answer directly follows its question in the transcript.
func TestEngine_ConcurrentMessagesAreSerialised(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t))
	ctx := context.Background()
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := h.engine.Receive(ctx, channels.Inbound{Channel: "test", Address: "same",
				ProviderID: fmt.Sprint("p", i), Text: "怎么查话费余额"})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()

	conv, err := h.store.FindConversation(ctx, "test", "same")
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := h.store.MessagesAfter(ctx, conv.ID, 0, 1000)
	if err != nil || len(msgs) != 2*n {
		t.Fatalf("%d messages (%v), want %d", len(msgs), err, 2*n)
	}
	for i, m := range msgs {
		if m.Seq != int64(i+1) {
			t.Fatalf("seq %d at position %d", m.Seq, i)
		}
		if (i%2 == 0) != (m.Direction == dialog.In) {
			t.Fatalf("position %d is %s: answers and questions interleaved", i, m.Direction)
		}
		if m.Direction == dialog.Out && m.ReplyTo != msgs[i-1].ID {
			t.Fatalf("answer at %d replies to %s, want %s", i, m.ReplyTo, msgs[i-1].ID)
		}
	}
}

// A provider retry is recognised both from the in-memory record and after
// a restart, when only the store knows the message.
func TestEngine_DuplicateAfterRestart(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t))
	ctx := context.Background()
	in := channels.Inbound{Channel: "test", Address: "a", ProviderID: "wx-1", Text: "怎么开发票"}
	first, err := h.engine.Receive(ctx, in)
	if err != nil || first.Duplicate {
		t.Fatalf("first = %+v, %v", first, err)
	}

	if err := h.store.Close(); err != nil {
		t.Fatal(err)
	}
	h.open(t)
	h.rec.take()
	again, err := h.engine.Receive(ctx, in)
	if err != nil || !again.Duplicate || again.MessageID != first.MessageID {
		t.Fatalf("retry after restart = %+v, %v; want a duplicate of %s", again, err, first.MessageID)
	}
	if out := h.rec.take(); len(out) != 0 {
		t.Fatalf("a retry produced %d replies", len(out))
	}
}

func TestSweeper_AppliesRetention(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t))
	ctx := context.Background()
	if _, err := h.engine.Receive(ctx, channels.Inbound{Channel: "test", Address: "old",
		Text: "宽带怎么续费"}); err != nil {
		t.Fatal(err)
	}
	h.clock.advance(h.retention + time.Hour)
	if _, err := h.engine.Receive(ctx, channels.Inbound{Channel: "test", Address: "new",
		Text: "宽带怎么续费"}); err != nil {
		t.Fatal(err)
	}

	h.sweeper.Sweep(ctx)
	if _, err := h.store.FindConversation(ctx, "test", "old"); err == nil {
		t.Error("a conversation older than the retention period survived")
	}
	if _, err := h.store.FindConversation(ctx, "test", "new"); err != nil {
		t.Errorf("a recent conversation was deleted: %v", err)
	}
}
