package dialog_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"hotline/channels"
	"hotline/dialog"
)

// fakeChannel answers Send with a scripted error per message text.
type fakeChannel struct {
	mu    sync.Mutex
	sent  map[string]int
	reply map[string]error
}

func (f *fakeChannel) Name() string { return "test" }

func (f *fakeChannel) Send(_ context.Context, m channels.Outbound) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent[m.ID]++
	return f.reply[m.Text]
}

func (f *fakeChannel) count(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sent[id]
}

func commitReplies(t *testing.T, h *harness, texts ...string) (dialog.Conversation, []dialog.Message) {
	t.Helper()
	conv := dialog.Conversation{ID: "c1", Channel: "test", Address: "a",
		State: dialog.StateAnswering, Lang: "zh", CreatedAt: h.clock.Now(), ActiveAt: h.clock.Now()}
	var msgs []dialog.Message
	for i, text := range texts {
		msgs = append(msgs, dialog.Message{ID: "m" + text, ConversationID: "c1", Seq: int64(i + 1),
			Direction: dialog.Out, From: dialog.FromBot, Text: text, CreatedAt: h.clock.Now(),
			Delivery: dialog.DeliveryPending})
	}
	conv.LastSeq = int64(len(texts))
	if err := h.store.Commit(context.Background(), dialog.Change{Conversation: conv, Messages: msgs}); err != nil {
		t.Fatal(err)
	}
	conv.Version = 1
	return conv, msgs
}

func deliveries(t *testing.T, h *harness) map[string]dialog.Delivery {
	t.Helper()
	msgs, err := h.store.MessagesAfter(context.Background(), "c1", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]dialog.Delivery{}
	for _, m := range msgs {
		out[m.Text] = m.Delivery
	}
	return out
}

func TestOutbox_RecordsEachOutcome(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t))
	ch := &fakeChannel{sent: map[string]int{}, reply: map[string]error{
		"held":      channels.ErrNotConnected,
		"permanent": &channels.SendError{Retryable: false, Err: errors.New("bad address")},
		"retry":     &channels.SendError{Retryable: true, Err: errors.New("timeout")},
	}}
	ob := dialog.NewOutbox(h.store, []channels.Channel{ch}, h.clock, discard)
	conv, msgs := commitReplies(t, h, "ok", "held", "permanent", "retry")

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ob.Run(ctx); close(done) }()
	ob.Notify(conv, msgs)
	waitFor(t, func() bool { return deliveries(t, h)["permanent"] == dialog.DeliveryFailed })
	cancel()
	<-done

	got := deliveries(t, h)
	want := map[string]dialog.Delivery{"ok": dialog.DeliverySent, "held": dialog.DeliveryHeld,
		"permanent": dialog.DeliveryFailed, "retry": dialog.DeliveryPending}
	for text, w := range want {
		if got[text] != w {
			t.Errorf("%s: status %q, want %q", text, got[text], w)
		}
	}
}

// After a crash between commit and send, the next start finds the pending
// message and sends it once.
func TestOutbox_SendsWhatACrashLeftPending(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t))
	ch := &fakeChannel{sent: map[string]int{}, reply: map[string]error{}}
	commitReplies(t, h, "left-behind")

	ob := dialog.NewOutbox(h.store, []channels.Channel{ch}, h.clock, discard)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ob.Run(ctx); close(done) }()
	waitFor(t, func() bool { return deliveries(t, h)["left-behind"] == dialog.DeliverySent })
	cancel()
	<-done
	if n := ch.count("mleft-behind"); n != 1 {
		t.Fatalf("sent %d times, want once", n)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("condition not met in time")
}
