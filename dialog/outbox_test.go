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

// gateChannel reports each Send as it starts, then holds it until the
// test closes the gate.
type gateChannel struct {
	name  string
	calls chan string   // ids of the messages whose Send started
	gate  chan struct{} // closed to let Send return
}

func newGateChannel(name string) *gateChannel {
	return &gateChannel{name: name, calls: make(chan string, 16), gate: make(chan struct{})}
}

func (g *gateChannel) Name() string { return g.name }

func (g *gateChannel) Send(ctx context.Context, m channels.Outbound) error {
	g.calls <- m.ID
	select {
	case <-g.gate:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// waitSend waits until the channel's Send is called for the message.
func waitSend(t *testing.T, g *gateChannel, id string) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case got := <-g.calls:
			if got == id {
				return
			}
		case <-timeout:
			t.Fatalf("%s: Send of %s not called in time", g.name, id)
		}
	}
}

// commitReplies commits pending replies in conversation c1 on the channel
// "test".
func commitReplies(t *testing.T, h *harness, texts ...string) (dialog.Conversation, []dialog.Message) {
	t.Helper()
	return commitConversation(t, h, "c1", "test", texts...)
}

// commitConversation commits a conversation on the given channel with one
// pending reply per text; a reply's id is "m" followed by its text.
func commitConversation(t *testing.T, h *harness, id, channel string, texts ...string) (dialog.Conversation, []dialog.Message) {
	t.Helper()
	conv := dialog.Conversation{ID: id, Channel: channel, Address: "a",
		State: dialog.StateAnswering, Lang: "zh", CreatedAt: h.clock.Now(), ActiveAt: h.clock.Now()}
	var msgs []dialog.Message
	for i, text := range texts {
		msgs = append(msgs, dialog.Message{ID: "m" + text, ConversationID: id, Seq: int64(i + 1),
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

// deliveries returns the status of each message of conversation c1, by
// text.
func deliveries(t *testing.T, h *harness) map[string]dialog.Delivery {
	t.Helper()
	return deliveriesOf(t, h, "c1")
}

// deliveriesOf returns the status of each message of a conversation, by
// text.
func deliveriesOf(t *testing.T, h *harness, convID string) map[string]dialog.Delivery {
	t.Helper()
	msgs, err := h.store.MessagesAfter(context.Background(), convID, 0, 100)
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

// A channel whose provider is slow holds up only its own messages: another
// channel's message is sent while the slow Send is still blocked.
func TestOutbox_SlowChannelDoesNotHoldUpAnother(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t))
	slow, fast := newGateChannel("slow"), newGateChannel("fast")
	close(fast.gate)
	ob := dialog.NewOutbox(h.store, []channels.Channel{slow, fast}, h.clock, discard)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ob.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	slowConv, slowMsgs := commitConversation(t, h, "c-slow", "slow", "to-slow")
	ob.Notify(slowConv, slowMsgs)
	waitSend(t, slow, "mto-slow") // the slow channel's worker is now blocked

	fastConv, fastMsgs := commitConversation(t, h, "c-fast", "fast", "to-fast")
	ob.Notify(fastConv, fastMsgs)
	waitSend(t, fast, "mto-fast")
	waitFor(t, func() bool { return deliveriesOf(t, h, "c-fast")["to-fast"] == dialog.DeliverySent })
	if got := deliveriesOf(t, h, "c-slow")["to-slow"]; got != dialog.DeliveryPending {
		t.Fatalf("slow message: status %q while its Send is blocked, want %q", got, dialog.DeliveryPending)
	}

	close(slow.gate)
	waitFor(t, func() bool { return deliveriesOf(t, h, "c-slow")["to-slow"] == dialog.DeliverySent })
	if got := deliveriesOf(t, h, "c-fast")["to-fast"]; got != dialog.DeliverySent {
		t.Errorf("fast message: status %q, want %q", got, dialog.DeliverySent)
	}
}

// A message for a channel the outbox does not know is marked failed.
func TestOutbox_FailsMessageOfUnknownChannel(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t))
	other := newGateChannel("other")
	close(other.gate)
	ob := dialog.NewOutbox(h.store, []channels.Channel{other}, h.clock, discard)
	conv, msgs := commitReplies(t, h, "nowhere")

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ob.Run(ctx); close(done) }()
	ob.Notify(conv, msgs)
	waitFor(t, func() bool { return deliveries(t, h)["nowhere"] == dialog.DeliveryFailed })
	cancel()
	<-done
	if len(other.calls) != 0 {
		t.Errorf("another channel was asked to send the message")
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

// A message whose delivery failed waits out its backoff before the rescan
// tries it again, and the conversation's later messages wait with it, so
// they still arrive in order; another conversation is not held up.
func TestOutbox_RescanBacksOff(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t))
	ch, other := &orderChannel{name: "test"}, &orderChannel{name: "other"}
	commitConversation(t, h, "c-back", "test", "first", "second")
	commitConversation(t, h, "c-other", "other", "marker")
	err := h.store.MarkDeliveries(context.Background(), []dialog.DeliveryUpdate{
		{MessageID: "mfirst", Status: dialog.DeliveryPending, Attempts: 1}})
	if err != nil {
		t.Fatal(err)
	}

	ob := dialog.NewOutbox(h.store, []channels.Channel{ch, other}, h.clock, discard)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ob.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	// The first scan sends the other conversation's message; the scan is
	// over once it is recorded, and nothing of the conversation backing
	// off was sent.
	waitFor(t, func() bool { return deliveriesOf(t, h, "c-other")["marker"] == dialog.DeliverySent })
	time.Sleep(200 * time.Millisecond) // what that scan queued has been sent by now
	if got := ch.sent(); len(got) != 0 {
		t.Fatalf("sent %q during the backoff", got)
	}
	h.clock.advance(6 * time.Second) // past the first backoff of 5 s
	waitFor(t, func() bool { return len(ch.sent()) == 2 })
	if got := ch.sent(); got[0] != "first" || got[1] != "second" {
		t.Fatalf("sent %q, want first then second after the backoff", got)
	}
}

// orderChannel records what it sent, in order.
type orderChannel struct {
	name string
	mu   sync.Mutex
	msgs []string
}

func (o *orderChannel) Name() string { return o.name }

func (o *orderChannel) Send(_ context.Context, m channels.Outbound) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msgs = append(o.msgs, m.Text)
	return nil
}

func (o *orderChannel) sent() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.msgs...)
}

// flakyChannel fails the first attempt of one text, retryably, and
// records what it sent, in order.
type flakyChannel struct {
	orderChannel
	failOnce string
	failed   bool
}

func (f *flakyChannel) Send(ctx context.Context, m channels.Outbound) error {
	f.mu.Lock()
	if m.Text == f.failOnce && !f.failed {
		f.failed = true
		f.mu.Unlock()
		return &channels.SendError{Retryable: true, Err: errors.New("throttled")}
	}
	f.mu.Unlock()
	return f.orderChannel.Send(ctx, m)
}

func (f *flakyChannel) didFail() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failed
}

// A message that fails and waits for its retry keeps the conversation's
// later messages behind it, so the subscriber reads them in order.
func TestOutbox_RetryKeepsTheOrder(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t))
	ch := &flakyChannel{orderChannel: orderChannel{name: "test"}, failOnce: "first"}
	commitConversation(t, h, "c-order", "test", "first", "second", "third")
	ob := dialog.NewOutbox(h.store, []channels.Channel{ch}, h.clock, discard)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ob.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	waitFor(t, func() bool { return deliveriesOf(t, h, "c-order")["first"] == dialog.DeliveryPending && ch.didFail() })
	time.Sleep(200 * time.Millisecond)
	if got := ch.sent(); len(got) != 0 {
		t.Fatalf("sent %q while the first message waits for its retry", got)
	}
	h.clock.advance(6 * time.Second) // past the first backoff
	waitFor(t, func() bool { return len(ch.sent()) == 3 })
	if got := ch.sent(); got[0] != "first" || got[1] != "second" || got[2] != "third" {
		t.Fatalf("sent %q, want the conversation's order", got)
	}
	waitFor(t, func() bool {
		d := deliveriesOf(t, h, "c-order")
		return d["first"] == dialog.DeliverySent && d["second"] == dialog.DeliverySent && d["third"] == dialog.DeliverySent
	})
}
