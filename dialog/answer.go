package dialog

import (
	"strings"

	"hotline/channels"
	"hotline/dialog/intent"
	"hotline/dialog/kb"
	"hotline/handoff"
)

// Quick-reply payloads the engine understands.
const (
	payloadEntryPrefix = "kb:"  // answer this knowledge base entry
	payloadNone        = "none" // none of the suggestions fit
)

// missesBeforeHint is how many unanswered messages in a row make the bot
// point the subscriber to a person more firmly.
const missesBeforeHint = 2

// step moves the conversation on by the turn's inbound message.
func (e *Engine) step(t *turn) error {
	if t.conv.State == StateClosed {
		if _, err := fire(t, EventReopen); err != nil {
			return err
		}
	}

	if id, n, ok := rating(t); ok {
		e.rate(t, id, n)
		e.resumeAfterRating(t)
		return nil
	}
	if t.in.Event != nil && (t.conv.State == StateCollecting || t.conv.State == StateConfirming) {
		// A menu click in the middle of a form starts something else.
		e.cancelForm(t)
	}

	switch t.conv.State {
	case StateCollecting:
		e.collect(t)
		return nil
	case StateConfirming:
		e.confirm(t)
		return nil
	case StateSurvey:
		// Anything but a rating moves on without one.
		e.leaveSurvey(t)
	case StateWaitingAgent:
		e.waiting(t)
		return nil
	case StateWithAgent:
		e.withAgent(t)
		return nil
	}
	e.answer(t)
	return nil
}

// answer replies to a message from the knowledge base or, when the router
// recognises an intent, with what happens for that intent.
func (e *Engine) answer(t *turn) {
	if e.bind(t) {
		return
	}
	in := t.in
	if entry, ok := e.chosenEntry(in.Payload); ok {
		e.answerEntry(t, entry)
		return
	}
	if in.Payload == payloadNone {
		e.unknown(t, kb.Result{})
		return
	}
	if e.event(t) {
		return
	}
	if key, ok := strings.CutPrefix(in.Payload, "menu:"); ok && e.menu(t, key) {
		return
	}
	if why, ok := agentReason(in.Payload); ok {
		t.conv.Misses = 0
		e.requestAgent(t, why)
		return
	}
	if e.callbackAsked(t) && e.startCallback(t) {
		return
	}
	if e.fromMenu(t) {
		return
	}
	if strings.TrimSpace(in.Text) == "" {
		t.say(FromBot, textUnsupported)
		return
	}

	if id, ok := mentionedTicket(in.Text); ok {
		e.ticketStatus(t, id)
		return
	}
	d := e.decide(t)
	if d.Intent != intent.None {
		e.routed(t, d)
		return
	}
	e.matched(t, d.Match)
}

// chosenEntry resolves a "kb:<id>" quick-reply payload.
func (e *Engine) chosenEntry(payload string) (*kb.Entry, bool) {
	id, ok := strings.CutPrefix(payload, payloadEntryPrefix)
	if !ok {
		return nil, false
	}
	return e.know.Entry(id)
}

// routed replies to a recognised intent.
func (e *Engine) routed(t *turn, d intent.Decision) {
	if d.Intent == intent.OffTopic {
		// Chatter outside customer service: the bot cannot help, and the
		// question is kept like any other it could not answer.
		e.unknown(t, d.Match)
		return
	}

	t.conv.Misses = 0
	switch d.Intent {
	case intent.Agent:
		e.requestAgent(t, handoff.ReasonAsked)
	case intent.Fault:
		e.startFault(t)
	case intent.Complaint:
		if escalated(t.in.Text) {
			t.setSlot(slotEscalated, "1")
		}
		e.startComplaint(t)
	case intent.Status:
		e.ticketStatus(t, "")
	case intent.Cancel:
		if ok, _ := fire(t, EventCancel); !ok {
			t.say(FromBot, textNothingToCancel)
		}
	case intent.Greeting:
		t.say(FromBot, textGreeting)
	case intent.Thanks:
		t.say(FromBot, textThanks)
	case intent.Identity:
		t.say(FromBot, textIdentity)
	default:
		t.say(FromBot, textUnknown)
	}
}

// matched replies with the knowledge base's verdict.
func (e *Engine) matched(t *turn, r kb.Result) {
	switch r.Verdict {
	case kb.Answer:
		e.answerEntry(t, r.Candidates[0].Entry)
	case kb.Suggest:
		e.suggest(t, r)
	default:
		e.unknown(t, r)
	}
}

func (e *Engine) answerEntry(t *turn, entry *kb.Entry) {
	t.conv.Misses = 0
	t.visitAnswered()
	t.reply(FromBot, entry.Answer, nil)
}

// suggest offers the closest questions as buttons and logs the question.
func (e *Engine) suggest(t *turn, r kb.Result) {
	quick := make([]channels.QuickReply, 0, len(r.Candidates)+1)
	for _, c := range r.Candidates {
		quick = append(quick, channels.QuickReply{
			Label:   c.Entry.Question,
			Payload: payloadEntryPrefix + c.Entry.ID,
		})
	}
	quick = append(quick, channels.QuickReply{
		Label:   t.texts.get(textQuickReplyUnknown, t.conv.Lang),
		Payload: payloadNone,
	})

	t.reply(FromBot, t.texts.get(textUnsure, t.conv.Lang), quick)
	t.logUnanswered(r, true)
}

// unknown says the bot cannot answer, more firmly after repeated misses.
func (e *Engine) unknown(t *turn, r kb.Result) {
	t.conv.Misses++
	switch {
	case t.conv.Misses >= missesBeforeHint && e.agents != nil:
		e.offerAgent(t, textUnknownAgainAgent, handoff.ReasonBotMisses)
	case t.conv.Misses >= missesBeforeHint:
		t.say(FromBot, textUnknownAgain)
	default:
		t.say(FromBot, textUnknown)
	}
	if t.in.Payload == "" {
		t.logUnanswered(r, false)
	}
}

// logUnanswered keeps the question for the knowledge base's maintainers.
func (t *turn) logUnanswered(r kb.Result, suggested bool) {
	u := Unanswered{
		ConversationID: t.conv.ID,
		MessageID:      t.in.ID,
		Text:           t.in.Text,
		Suggested:      suggested,
		At:             t.now,
	}
	if len(r.Candidates) > 0 {
		u.BestEntry = r.Candidates[0].Entry.ID
		u.BestScore = r.Candidates[0].Score
	}
	t.unanswered = append(t.unanswered, u)
	t.visitUnanswered()
}
