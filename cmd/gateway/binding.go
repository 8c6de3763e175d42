package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"hotline/channels/sms"
	"hotline/dialog"
)

// phoneBinder lets the dialog bind numbers through the SMS channel's
// binder, in the dialog's terms.
type phoneBinder struct {
	b *sms.Binder
}

var _ dialog.PhoneBinder = phoneBinder{}

// SendCode sends a code to the number typed in the conversation.
func (p phoneBinder) SendCode(ctx context.Context, conv dialog.Conversation, number string) (string, error) {
	masked, err := p.b.SendCode(ctx, conv.ID, number)
	return masked, bindError(err)
}

// CheckCode checks a code typed in the conversation.
func (p phoneBinder) CheckCode(ctx context.Context, conv dialog.Conversation, code string) (string, string, error) {
	sub, masked, err := p.b.CheckCode(ctx, conv.ID, conv.Channel, conv.Address, code)
	return sub, masked, bindError(err)
}

// bindError maps the binder's refusals to the dialog's.
func bindError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sms.ErrBadPhone):
		return dialog.ErrBadPhone
	case errors.Is(err, sms.ErrBindLimited):
		return dialog.ErrBindLimited
	case errors.Is(err, sms.ErrBindCode):
		return dialog.ErrBindCode
	}
	return err
}

// smsFallback sends by SMS, to the number a WeChat follower bound, the
// system messages (ticket notices) WeChat refused: its window closed or
// its quota used up. Other failures are for the agent console only.
type smsFallback struct {
	wechat string // the WeChat channel's name
	binder *sms.Binder
	engine *dialog.Engine
	log    *slog.Logger
}

// fallbackTimeout bounds the hand-over of one message to SMS.
const fallbackTimeout = 10 * time.Second

// failed is the outbox's failure hook.
func (f smsFallback) failed(conv dialog.Conversation, m dialog.Message, _ string) {
	if conv.Channel != f.wechat || m.From != dialog.FromSystem || conv.SubscriberID == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), fallbackTimeout)
	defer cancel()
	phone, ok, err := f.binder.PhoneOf(ctx, conv.SubscriberID)
	if err != nil || !ok {
		if err != nil {
			f.log.Warn("sms fallback: bound number not read", "conversation", conv.ID, "error", err)
		}
		return
	}
	if err := f.engine.Forward(ctx, f.binder.Channel().Name(), phone, "fallback:"+m.ID, m); err != nil {
		f.log.Error("sms fallback failed", "conversation", conv.ID, "message", m.ID, "error", err)
		return
	}
	f.log.Info("wechat message sent by sms instead", "conversation", conv.ID, "message", m.ID)
}

// failureHook is who hears of undeliverable messages: the SMS fallback
// for WeChat notices, when a number can be bound, and the agent console.
func (g *gateway) failureHook(binder *sms.Binder) dialog.FailureHook {
	var hooks []dialog.FailureHook
	if binder != nil && g.wechat != nil {
		fb := smsFallback{wechat: g.wechat.Name(), binder: binder, engine: g.engine,
			log: g.log.With("component", "sms-fallback")}
		hooks = append(hooks, fb.failed)
	}
	if g.agents != nil {
		hooks = append(hooks, g.agents.console.DeliveryFailed)
	}
	return func(conv dialog.Conversation, m dialog.Message, reason string) {
		for _, h := range hooks {
			h(conv, m, reason)
		}
	}
}
