package sms

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"hotline/channels"
)

// A numbered answer picks the reply offered, also when the answer reaches
// another channel (another instance) sharing the store.
func TestChoices_PickedWhereverAnswered(t *testing.T) {
	api := newFakeTwilio(t)
	shared := NewMemChoices()
	tune := func(c *Config) { c.Choices = shared }
	one, two := newRig(t, twilioProvider(t, api.srv.URL), tune), newRig(t, twilioProvider(t, api.srv.URL), tune)
	m := channels.Outbound{ID: "q1", Address: "+8613800138000", From: "bot", Text: "请选择",
		QuickReplies: []channels.QuickReply{{Label: "报障", Payload: "kb:fault"}, {Label: "查询工单", Payload: "tickets"}}}
	if err := one.ch.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	h, b := two.twilioForm("/sms/tw/inbound", inboundForm("SMc1", "+8613800138000", "２"))
	if code, _ := two.post("/sms/tw/inbound", h, b); code != 200 {
		t.Fatal(code)
	}
	if in := two.recv.inbound(); len(in) != 1 || in[0].Payload != "tickets" || in[0].Text != "查询工单" {
		t.Fatalf("the answer 2 became %+v, want the second reply", in)
	}
}

// failingChoices is a ChoiceStore that cannot be reached.
type failingChoices struct{}

var errChoicesDown = errors.New("choices store down")

func (failingChoices) Offer(context.Context, string, []channels.QuickReply, time.Time) error {
	return errChoicesDown
}

func (failingChoices) Pick(context.Context, string, int, time.Time) (channels.QuickReply, bool, error) {
	return channels.QuickReply{}, false, errChoicesDown
}

// A store that fails costs the mapping of a number, nothing else: the
// message goes, the answer reaches the dialog as text, and the log says
// so without the number.
func TestChoices_StoreDown(t *testing.T) {
	api := newFakeTwilio(t)
	r := newRig(t, twilioProvider(t, api.srv.URL), func(c *Config) { c.Choices = failingChoices{} })
	m := channels.Outbound{ID: "q1", Address: "+8613800138000", From: "bot", Text: "请选择",
		QuickReplies: []channels.QuickReply{{Label: "报障", Payload: "kb:fault"}}}
	if err := r.ch.Send(context.Background(), m); err != nil || len(api.sends()) != 1 {
		t.Fatalf("send: %v, %d sent", err, len(api.sends()))
	}
	h, b := r.twilioForm("/sms/tw/inbound", inboundForm("SMc2", "+8613800138000", "1"))
	if code, _ := r.post("/sms/tw/inbound", h, b); code != 200 {
		t.Fatal(code)
	}
	if in := r.recv.inbound(); len(in) != 1 || in[0].Payload != "" || in[0].Text != "1" {
		t.Fatalf("the answer became %+v, want the text 1", in)
	}
	logs := r.logs.String()
	if !strings.Contains(logs, "numbered answers not recorded") || !strings.Contains(logs, "numbered answers not read") {
		t.Fatalf("the failures were not logged: %s", logs)
	}
	if strings.Contains(logs, "13800138000") {
		t.Fatal("the number reached the log")
	}
}
