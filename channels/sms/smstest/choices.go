package smstest

import (
	"context"
	"testing"
	"time"

	"hotline/channels"
	"hotline/channels/sms"
)

// ChoiceStoreSuite is what every sms.ChoiceStore must pass. It runs one
// subtest per behaviour, each on fresh, empty state from open: an offer
// made through one handle is picked through the other, by number from
// one, with labels and payloads as given; a new offer replaces the last,
// none clears it, and offers expire after sms.ChoiceLife; numbers are
// apart.
//
// open may register cleanups on the t it is given; it is called once per
// subtest.
func ChoiceStoreSuite(t *testing.T, open Pair[sms.ChoiceStore]) {
	t.Helper()
	tests := []struct {
		name string
		run  func(*testing.T, sms.ChoiceStore, sms.ChoiceStore)
	}{
		{"offer and pick", testOfferPick},
		{"new offer replaces the last", testOfferReplaces},
		{"no replies clear the offer", testOfferClears},
		{"offers expire", testOfferExpires},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := open(t)
			tc.run(t, a, b)
		})
	}
}

var menu = []channels.QuickReply{
	{Label: "报障", Payload: "kb:fault"},
	{Label: "查询工单", Payload: "tickets"},
	{Label: "人工客服"},
}

func offer(t *testing.T, s sms.ChoiceStore, number string, replies []channels.QuickReply, d time.Duration) {
	t.Helper()
	if err := s.Offer(context.Background(), number, replies, base.Add(d)); err != nil {
		t.Fatalf("offer: %v", err)
	}
}

// wantPick checks the nth pick at base plus d: want, or none when want
// is the zero reply.
func wantPick(t *testing.T, s sms.ChoiceStore, number string, n int, d time.Duration, want channels.QuickReply) {
	t.Helper()
	got, ok, err := s.Pick(context.Background(), number, n, base.Add(d))
	switch {
	case err != nil:
		t.Fatalf("pick %d: %v", n, err)
	case want == (channels.QuickReply{}) && ok:
		t.Fatalf("pick %d at +%v: %+v, want none", n, d, got)
	case want != (channels.QuickReply{}) && (!ok || got != want):
		t.Fatalf("pick %d at +%v: %+v %v, want %+v", n, d, got, ok, want)
	}
}

func testOfferPick(t *testing.T, a, b sms.ChoiceStore) {
	none := channels.QuickReply{}
	wantPick(t, b, phone, 1, 0, none)
	offer(t, a, phone, menu, 0)
	for i, q := range menu {
		wantPick(t, b, phone, i+1, time.Minute, q)
	}
	wantPick(t, b, phone, 0, time.Minute, none)
	wantPick(t, b, phone, len(menu)+1, time.Minute, none)
	wantPick(t, a, "+8613900139000", 1, time.Minute, none)
	wantPick(t, a, phone, 2, 2*time.Minute, menu[1]) // a pick leaves the offer
}

func testOfferReplaces(t *testing.T, a, b sms.ChoiceStore) {
	offer(t, a, phone, menu, 0)
	next := []channels.QuickReply{{Label: "确认提交", Payload: "form:confirm"}, {Label: "修改", Payload: "form:amend"}}
	offer(t, b, phone, next, time.Minute)
	wantPick(t, a, phone, 1, time.Minute, next[0])
	wantPick(t, a, phone, 3, time.Minute, channels.QuickReply{})
}

func testOfferClears(t *testing.T, a, b sms.ChoiceStore) {
	offer(t, a, phone, menu, 0)
	offer(t, b, phone, nil, time.Minute)
	wantPick(t, a, phone, 1, time.Minute, channels.QuickReply{})
}

func testOfferExpires(t *testing.T, a, b sms.ChoiceStore) {
	offer(t, a, phone, menu, 0)
	wantPick(t, b, phone, 1, sms.ChoiceLife, menu[0])
	wantPick(t, b, phone, 1, sms.ChoiceLife+time.Second, channels.QuickReply{})
}
