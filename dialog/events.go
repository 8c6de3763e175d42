package dialog

import (
	"hotline/channels"
	"hotline/dialog/intent"
	"hotline/handoff"
)

// Provider events the engine acts on.
const (
	// EventFollow is a new follower of an account (WeChat's subscribe).
	EventFollow = "subscribe"
	// EventMenu is a click on one of the account's menu items; its key
	// names the action (see menuActions).
	EventMenu = "click"
)

// Menu keys: the actions a channel's menu can start.
const (
	MenuFault   = "fault"   // report a fault
	MenuTickets = "tickets" // my tickets
	MenuAgent   = "agent"   // talk to a person
)

// Payloads of the main options offered with the welcome.
const (
	payloadMenuFault   = "menu:" + MenuFault
	payloadMenuTickets = "menu:" + MenuTickets
)

// event handles a provider event and reports whether it was one the
// engine acts on.
func (e *Engine) event(t *turn) bool {
	ev := t.in.Event
	if ev == nil {
		return false
	}
	switch ev.Name {
	case EventFollow:
		e.welcome(t)
		return true
	case EventMenu:
		return e.menu(t, ev.Key)
	}
	return false
}

// welcome greets a new follower with the main options.
func (e *Engine) welcome(t *turn) {
	lang := t.conv.Lang
	t.reply(FromBot, t.texts.get(textGreeting, lang), []channels.QuickReply{
		{Label: t.texts.get(textQuickReplyFault, lang), Payload: payloadMenuFault},
		{Label: t.texts.get(textQuickReplyTickets, lang), Payload: payloadMenuTickets},
		{Label: t.texts.get(textQuickReplyAgent, lang), Payload: payloadAgent},
	})
}

// menu starts the action of a menu key or a main option; it reports
// false for a key it does not know.
func (e *Engine) menu(t *turn, key string) bool {
	switch key {
	case MenuFault:
		e.routed(t, intent.Decision{Intent: intent.Fault})
	case MenuTickets:
		e.routed(t, intent.Decision{Intent: intent.Status})
	case MenuAgent:
		t.conv.Misses = 0
		e.requestAgent(t, handoff.ReasonAsked)
	default:
		return false
	}
	return true
}
