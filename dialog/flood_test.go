package dialog_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"hotline/channels"
	"hotline/dialog"
)

// A subscriber writing faster than the limit: the first messages of the
// minute are answered, the first one past it gets the notice, later ones
// nothing, and every one is kept; the next minute is answered again.
func TestFlood_PastTheLimitKeptNotAnswered(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t), func(h *harness) { h.flood = 3 })
	ctx := context.Background()
	send := func(id string) []dialog.Message {
		t.Helper()
		h.rec.take()
		h.clock.advance(time.Second)
		rec, err := h.engine.Receive(ctx, channels.Inbound{Channel: "sms", Address: "+8613800000001",
			ProviderID: id, Text: "话费余额怎么查", ReceivedAt: h.clock.Now()})
		if err != nil || rec.Duplicate {
			t.Fatalf("%s: %+v %v", id, rec, err)
		}
		return h.rec.take()
	}

	for i := range 3 {
		if got := send(fmt.Sprint("m", i)); len(got) != 1 || got[0].From != dialog.FromBot {
			t.Fatalf("message %d within the limit: replies %+v, want one answer", i, got)
		}
	}
	notice := send("m3")
	if len(notice) != 1 || notice[0].Text != h.texts.Text("rate_limited", "zh") {
		t.Fatalf("first message past the limit: %+v, want the rate-limited notice", notice)
	}
	if got := send("m4"); len(got) != 0 {
		t.Fatalf("second message past the limit: %+v, want no reply", got)
	}

	h.clock.advance(time.Minute)
	if got := send("m5"); len(got) != 1 || got[0].Text == notice[0].Text {
		t.Fatalf("a minute later: %+v, want an answer", got)
	}

	conv, err := h.store.FindConversation(ctx, "sms", "+8613800000001")
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := h.store.MessagesAfter(ctx, conv.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	in := 0
	for _, m := range msgs {
		if m.Direction == dialog.In {
			in++
		}
	}
	if in != 6 {
		t.Errorf("%d inbound messages kept, want all 6", in)
	}
}

// A provider's retry of a message past the limit is a duplicate, as any
// other: no second notice.
func TestFlood_RetryStaysADuplicate(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t), func(h *harness) { h.flood = 1 })
	ctx := context.Background()
	var replies []int
	var dups []bool
	for _, id := range []string{"a", "b", "b"} {
		h.clock.advance(time.Second)
		rec, err := h.engine.Receive(ctx, channels.Inbound{Channel: "sms", Address: "+8613800000002",
			ProviderID: id, Text: "营业厅几点开门", ReceivedAt: h.clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		replies = append(replies, len(h.rec.take()))
		dups = append(dups, rec.Duplicate)
	}
	if fmt.Sprint(replies) != "[1 1 0]" || fmt.Sprint(dups) != "[false false true]" {
		t.Errorf("replies %v, duplicates %v: want an answer, the notice, then a duplicate without a reply",
			replies, dups)
	}
}
