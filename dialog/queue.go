package dialog

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"hotline/channels"
	"hotline/dialog/form"
	"hotline/dialog/intent"
	"hotline/handoff"
	"hotline/tickets"
)

// AgentDesk is what the dialog needs from the agent desk: whether an agent
// can take a conversation now, a place in the queue, the wait, and leaving
// the queue.
//
// The other direction, an agent joining and replying, reaches the engine
// as AgentEvents from the agent console. Known gap: the console and the
// close with its satisfaction question are not built yet, so the gateway
// gives the engine no desk.
type AgentDesk interface {
	Available(ctx context.Context, group string) (handoff.Availability, error)
	Enqueue(ctx context.Context, r handoff.Request) (handoff.Entry, bool, error)
	Estimate(ctx context.Context, conversationID string) (handoff.Estimate, error)
	Leave(ctx context.Context, conversationID string) (handoff.Entry, error)
}

// payloadLeaveQueue is the quick reply that leaves the agent queue.
const payloadLeaveQueue = "leave_queue"

// requestAgent hands the conversation to the agent desk when an agent can
// take it now or soon; otherwise it says why not and offers a call back.
// Without a desk a call back is offered at once.
func (e *Engine) requestAgent(t *turn, reason handoff.Reason) {
	if e.agents == nil {
		e.offerPerson(t)
		return
	}
	av, err := e.agents.Available(t.ctx, "")
	if err != nil {
		e.log.Error("agent desk failed", "conversation", t.conv.ID, "action", "available", "err", err)
		e.offerPerson(t)
		return
	}
	if !av.OK() && av.Reason != handoff.UnavailableAllBusy {
		e.noAgent(t, av)
		return
	}

	h := e.takeHandover(t)
	req := handoff.Request{ConversationID: t.conv.ID, Channel: handoff.Channel(t.conv.Channel),
		Address: t.conv.Address, Priority: e.queuePriority(t, reason), Reason: reason,
		Group: e.agentGroup(h, reason), Details: h.Details}
	if _, _, err := e.agents.Enqueue(t.ctx, req); err != nil {
		e.log.Error("agent desk failed", "conversation", t.conv.ID, "action", "enqueue", "err", err)
		e.offerPerson(t)
		return
	}
	t.visitHandoff()
	if ok, _ := fire(t, EventRequestAgent); !ok {
		e.log.Warn("queued from an unexpected state", "conversation", t.conv.ID, "state", t.conv.State)
	}
	// The form's answers went to the desk; the agent takes it from here.
	form.Clear(t.slots())
	t.setSlot(slotEscalated, "")
	t.setSlot(slotQueueUpdate, "")
	e.tellPlace(t, textQueueJoined)
}

// Payloads of the quick replies that ask for a person: "agent", or
// "agent:<reason>" when the bot offered one and says why.
func agentPayload(why handoff.Reason) string {
	if why == "" || why == handoff.ReasonAsked {
		return payloadAgent
	}
	return payloadAgent + ":" + string(why)
}

// agentReason reads a quick reply that asks for a person.
func agentReason(payload string) (handoff.Reason, bool) {
	if payload == payloadAgent {
		return handoff.ReasonAsked, true
	}
	why, ok := strings.CutPrefix(payload, payloadAgent+":")
	if !ok {
		return "", false
	}
	switch r := handoff.Reason(why); r {
	case handoff.ReasonBotMisses, handoff.ReasonFormFailed, handoff.ReasonComplaint:
		return r, true
	}
	return handoff.ReasonAsked, true
}

// isAgentPayload reports whether a quick reply asks for a person.
func isAgentPayload(payload string) bool {
	_, ok := agentReason(payload)
	return ok
}

// queuePriority puts complaints and tickets near their deadline first.
func (e *Engine) queuePriority(t *turn, reason handoff.Reason) int {
	if reason == handoff.ReasonComplaint {
		return handoff.PriorityComplaint
	}
	if e.desk == nil {
		return handoff.PriorityNormal
	}
	mine, err := e.desk.Mine(t.ctx, owner(t.conv), maxListed)
	if err != nil {
		return handoff.PriorityNormal
	}
	p := handoff.PriorityNormal
	for _, tk := range mine {
		switch {
		case tk.Kind == tickets.KindComplaint:
			return handoff.PriorityComplaint
		case tk.Risk != tickets.RiskNone:
			p = handoff.PriorityAtRisk
		}
	}
	return p
}

// tellPlace tells a waiting subscriber their place and the estimated
// wait, with a way out of the queue.
func (e *Engine) tellPlace(t *turn, lead textKey) {
	lang := t.conv.Lang
	est, err := e.agents.Estimate(t.ctx, t.conv.ID)
	if err != nil {
		e.queueGone(t, err)
		return
	}
	text := placeText(t, lead, est)
	t.reply(FromBot, text, []channels.QuickReply{
		{Label: t.texts.get(textQuickReplyLeaveQueue, lang), Payload: payloadLeaveQueue},
		{Label: t.texts.get(textQuickReplyCallback, lang), Payload: payloadCallback},
	})
}

// placeText says a place in the queue and, when known, the expected wait.
func placeText(t *turn, lead textKey, est handoff.Estimate) string {
	lang := t.conv.Lang
	text := t.texts.format(lead, lang, "{position}", fmt.Sprint(est.Position))
	switch {
	case est.Known && est.Wait <= 0:
		text += t.texts.get(textQueueSoon, lang)
	case est.Known:
		text += t.texts.format(textQueueWait, lang, "{minutes}", fmt.Sprint(minutes(est.Wait)))
	}
	return text
}

// minutes rounds a wait up to whole minutes, at least one.
func minutes(d time.Duration) int {
	return max(1, int((d+time.Minute-1)/time.Minute))
}

// noAgent tells the subscriber that no agent can take the conversation
// now, and why, and offers a call back.
func (e *Engine) noAgent(t *turn, av handoff.Availability) {
	lang := t.conv.Lang
	text := t.texts.get(textNoAgentNow, lang)
	if av.Reason == handoff.UnavailableClosed {
		text = t.texts.get(textAgentsClosed, lang)
		if !av.NextOpen.IsZero() {
			text = t.texts.format(textAgentsClosedUntil, lang, "{open}", e.when(av.NextOpen, lang))
		}
	}
	t.reply(FromBot, text, []channels.QuickReply{
		{Label: t.texts.get(textQuickReplyCallback, lang), Payload: payloadCallback}})
}

// waiting handles a message while the conversation waits for an agent:
// leaving the queue, a call back instead, or anything else, which is kept
// for the agent while the subscriber is told their place again.
func (e *Engine) waiting(t *turn) {
	if e.agents == nil {
		// The desk is gone (a configuration change): back to the bot.
		_, _ = fire(t, EventLeaveQueue)
		e.answer(t)
		return
	}
	switch {
	case t.in.Payload == payloadLeaveQueue || t.in.Payload == "" && e.decide(t).Intent == intent.Cancel:
		if e.leaveQueue(t) {
			t.say(FromBot, textQueueLeft)
		}
	case e.callbackAsked(t):
		if e.leaveQueue(t) {
			e.startCallback(t)
		}
	default:
		e.tellPlace(t, textQueueStillWaiting)
	}
}

// leaveQueue takes the conversation out of the queue and back to the bot.
// It reports false when an agent took it meanwhile, which it says.
func (e *Engine) leaveQueue(t *turn) bool {
	_, err := e.agents.Leave(t.ctx, t.conv.ID)
	switch {
	case errors.Is(err, handoff.ErrTaken):
		t.say(FromBot, textQueueTaken)
		return false
	case err != nil && !errors.Is(err, handoff.ErrNotFound):
		e.log.Error("agent desk failed", "conversation", t.conv.ID, "action", "leave", "err", err)
	}
	_, _ = fire(t, EventLeaveQueue)
	return true
}

// queueGone handles a waiting conversation the desk no longer has (after
// a restart of a desk kept in memory, or a queue timeout): back to the
// bot, with an apology and a call back offered.
func (e *Engine) queueGone(t *turn, err error) {
	if errors.Is(err, handoff.ErrTaken) {
		return // an agent has it and speaks for the desk now
	}
	if !errors.Is(err, handoff.ErrNotFound) {
		e.log.Error("agent desk failed", "conversation", t.conv.ID, "action", "estimate", "err", err)
	}
	_, _ = fire(t, EventLeaveQueue)
	t.reply(FromBot, t.texts.get(textQueueLost, t.conv.Lang), []channels.QuickReply{{
		Label: t.texts.get(textQuickReplyCallback, t.conv.Lang), Payload: payloadCallback}})
}

// QueueExpired tells a subscriber whose wait passed the desk's limit that
// no agent could take the conversation in time, and offers a call back;
// the conversation goes back to the bot. id makes it idempotent. The desk
// has already taken the entry out of its queue (see handoff.Desk.Sweep).
func (e *Engine) QueueExpired(ctx context.Context, id string, entry handoff.Entry) error {
	err := e.fromOutside(ctx, string(entry.Channel), entry.Address, "queue-expired:"+id,
		func(t *turn) (*Message, error) {
			if ok, _ := fire(t, EventLeaveQueue); !ok {
				return nil, nil // no longer waiting: nothing to say
			}
			return t.reply(FromSystem, t.texts.get(textQueueExpired, t.conv.Lang),
				[]channels.QuickReply{{Label: t.texts.get(textQuickReplyCallback, t.conv.Lang),
					Payload: payloadCallback}}), nil
		})
	if err != nil {
		return fmt.Errorf("queue expired: %w", err)
	}
	return nil
}
