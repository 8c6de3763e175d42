package dialog

import (
	"strings"
	"unicode/utf8"

	"hotline/channels"
	"hotline/dialog/form"
	"hotline/dialog/intent"
	"hotline/dialog/kb"
	"hotline/dialog/textnorm"
	"hotline/handoff"
)

// Payloads and slots of the form steps the engine itself handles.
const (
	payloadConfirm  = "confirm"    // the summary is right: open the ticket
	payloadAmend    = "amend"      // the summary needs a change
	payloadEdit     = "edit:"      // edit:<slot> asks that slot again
	payloadAgent    = "agent"      // the subscriber wants a person
	payloadCancel   = "cancel"     // drop the form
	payloadCallback = "callback"   // book a call back
	callbackFlow    = "callback"   // the call-back form's name
	slotMenu        = "menu.fault" // set while the fault menu waits
)

// startFault begins a fault report: straight into the category's form when
// the message says which it is, otherwise with the category menu.
func (e *Engine) startFault(t *turn) {
	flows := e.know.Flows()
	if flows == nil {
		t.say(FromBot, textFaultPending)
		return
	}
	if f, ok := flows.Detect(t.in.Text); ok {
		e.startForm(t, f, t.in.Text)
		return
	}
	t.setSlot(slotMenu, "1")
	e.prompt(t, "", flows.Menu(t.conv.Lang))
}

// startComplaint begins the complaint form and offers a person at once.
func (e *Engine) startComplaint(t *turn) {
	flows := e.know.Flows()
	if flows == nil || flows.Complaint() == nil {
		t.say(FromBot, textComplaintPending)
		return
	}
	e.startForm(t, flows.Complaint(), t.in.Text)
}

// startForm enters the collecting state and asks the first question.
func (e *Engine) startForm(t *turn, f *form.Flow, opening string) {
	event := EventReport
	if f.Kind == form.KindComplaint {
		event = EventComplain
	}
	if ok, err := fire(t, event); !ok || err != nil {
		t.say(FromBot, textUnknown)
		return
	}
	t.setSlot(slotMenu, "")

	p, out := f.Start(NewID("f_", t.now), opening, t.conv.Lang)
	if f.Kind == form.KindComplaint {
		// A person is offered at once, beside the first question.
		out.Prompt.Choices = append(out.Prompt.Choices, form.Choice{
			Label:   t.texts.get(textQuickReplyAgent, t.conv.Lang),
			Payload: agentPayload(handoff.ReasonComplaint)})
		e.formStep(t, f, &p, out, t.texts.get(textComplaintIntro, t.conv.Lang))
		return
	}
	intro := t.texts.format(textFormIntro, t.conv.Lang, "{title}", f.Title.In(t.conv.Lang))
	if f.Kind == form.KindRequest {
		intro = t.texts.get(textCallbackIntro, t.conv.Lang)
	}
	e.formStep(t, f, &p, out, intro)
}

// startCallback begins the call-back form, or reports false when the
// flows file has none.
func (e *Engine) startCallback(t *turn) bool {
	flows := e.know.Flows()
	if flows == nil {
		return false
	}
	f, ok := flows.Flow(callbackFlow)
	if !ok || f.Kind != form.KindRequest {
		return false
	}
	e.startForm(t, f, "")
	return true
}

// callbackAsked reports whether the subscriber pressed, or typed, the
// call-back quick reply.
func (e *Engine) callbackAsked(t *turn) bool {
	if t.in.Payload == payloadCallback {
		return true
	}
	norm := textnorm.Normalize(t.in.Text)
	return norm != "" && norm == textnorm.Normalize(t.texts.get(textQuickReplyCallback, t.conv.Lang))
}

// offerPerson answers a request for a person outside a form: no agent can
// take it online yet, so a call back is offered.
func (e *Engine) offerPerson(t *turn) {
	var quick []channels.QuickReply
	if flows := e.know.Flows(); flows != nil {
		if _, ok := flows.Flow(callbackFlow); ok {
			quick = []channels.QuickReply{{
				Label: t.texts.get(textQuickReplyCallback, t.conv.Lang), Payload: payloadCallback}}
		}
	}
	t.reply(FromBot, t.texts.get(textAgentUnavailable, t.conv.Lang), quick)
}

// fromMenu starts the form the subscriber picked from the fault menu. It
// reports false when the message is not a pick, and the menu is dropped.
func (e *Engine) fromMenu(t *turn) bool {
	if t.conv.Slots[slotMenu] == "" && !strings.HasPrefix(t.in.Payload, "form:flow:") {
		return false
	}
	t.setSlot(slotMenu, "")
	flows := e.know.Flows()
	if flows == nil {
		return false
	}
	f, ok := flows.Choose(t.in.Text, t.in.Payload)
	if !ok {
		return false
	}
	e.startForm(t, f, "")
	return true
}

// formStep saves the form's progress and says what comes next.
func (e *Engine) formStep(t *turn, f *form.Flow, p *form.Progress, out form.Outcome, lead string) {
	switch out.Result {
	case form.Complete:
		p.Encode(t.slots())
		_, _ = fire(t, EventCollected)
		e.askConfirm(t, f, *p, lead)
	case form.TooManyFailures:
		e.keepHandover(t)
		e.dropForm(t)
		e.offerAgent(t, textFormTooManyFailures, handoff.ReasonFormFailed)
	default:
		p.Encode(t.slots())
		e.prompt(t, lead, out.Prompt)
	}
}

// collect handles a message while a form waits for an answer: cancel, a
// request for a person, a correction, a question for the knowledge base,
// or the answer itself.
func (e *Engine) collect(t *turn) {
	f, p, ok := e.activeForm(t)
	if !ok {
		return
	}
	lang := t.conv.Lang
	switch {
	case isAgentPayload(t.in.Payload):
		e.agentAsked(t, f, &p)
		return
	case t.in.Payload == payloadCancel:
		e.cancelForm(t)
		return
	case t.in.Payload == "" && e.formCommand(t, f, &p):
		return
	}
	text, ok := e.mediaAnswer(t, f, p)
	if !ok {
		t.say(FromBot, textUnsupported)
		e.resume(t, f, &p)
		return
	}

	trial, _ := form.Decode(t.conv.Slots)
	out := f.Answer(&trial, text, t.in.Payload, lang)
	if t.in.Payload == "" && e.switchFault(t, f, out) {
		return
	}
	if t.in.Payload == "" && e.digress(t, f, out) {
		e.resume(t, f, &p)
		return
	}
	e.formStep(t, f, &trial, out, "")
}

// switchFault starts another fault form when an answer that does not fit
// the question describes a different fault ("宽带断了" while the mobile
// form asks for a number): the subscriber meant to report that instead.
func (e *Engine) switchFault(t *turn, f *form.Flow, out form.Outcome) bool {
	if f.Kind != form.KindFault || (out.Result != form.Invalid && out.Result != form.TooManyFailures) {
		return false
	}
	flows := e.know.Flows()
	if flows == nil || e.decide(t).Intent != intent.Fault {
		return false
	}
	other, ok := flows.Detect(t.in.Text)
	if !ok || other.Name == f.Name {
		return false
	}
	e.dropForm(t)
	e.startForm(t, other, t.in.Text)
	return true
}

// formCommand handles typed cancel, person and correction requests.
func (e *Engine) formCommand(t *turn, f *form.Flow, p *form.Progress) bool {
	switch e.decide(t).Intent {
	case intent.Cancel:
		e.cancelForm(t)
		return true
	case intent.Agent:
		e.agentAsked(t, f, p)
		return true
	case intent.Status:
		e.ticketStatus(t, "")
		e.resume(t, f, p)
		return true
	case intent.Complaint:
		if f.Kind == form.KindComplaint {
			return false
		}
		// A complaint outranks the report in progress.
		e.dropForm(t)
		if escalated(t.in.Text) {
			t.setSlot(slotEscalated, "1")
		}
		e.startComplaint(t)
		return true
	}
	// Naming the question being asked, with no answer to it yet, is no
	// correction: "搬家了，宽带能换到新地址吗？" at the address question is a
	// question for the knowledge base, or an answer.
	if slot, ok := f.Correction(t.in.Text); ok && !(slot == p.Slot && !answered(p, slot)) &&
		!e.surelyAQuestion(t) {
		e.correct(t, f, p, slot)
		return true
	}
	return false
}

// correct changes an earlier answer: at once when the correction carries
// the new one ("区域选错了，应该是海淀"), otherwise by asking that slot again.
func (e *Engine) correct(t *turn, f *form.Flow, p *form.Progress, slot string) {
	lang := t.conv.Lang
	if t.conv.State == StateConfirming {
		_, _ = fire(t, EventAmend)
	}
	if out, ok := f.Corrected(p, slot, t.in.Text, lang); ok {
		e.formStep(t, f, p, out, t.texts.get(textFormCorrected, lang))
		return
	}
	pr := f.Reask(p, slot, lang)
	p.Encode(t.slots())
	e.prompt(t, "", pr)
}

// answered reports whether the form has an answer for slot, a skipped
// optional slot included.
func answered(p *form.Progress, slot string) bool {
	_, ok := p.Answers[slot]
	return ok
}

// agentAsked answers a request for a person in the middle of a form and
// goes on with the form.
// With an agent desk the form goes with the conversation to the queue, its
// answers passed on; without one the subscriber is told how to reach a
// person and the form carries on.
func (e *Engine) agentAsked(t *turn, f *form.Flow, p *form.Progress) {
	if e.agents != nil {
		why, _ := agentReason(t.in.Payload)
		if f.Kind == form.KindComplaint {
			why = handoff.ReasonComplaint
		}
		e.requestAgent(t, why)
		return
	}
	t.say(FromBot, textAgentInForm)
	e.resume(t, f, p)
}

// resume asks the form's current question again after a digression.
func (e *Engine) resume(t *turn, f *form.Flow, p *form.Progress) {
	lang := t.conv.Lang
	if t.conv.State == StateConfirming {
		e.askConfirm(t, f, *p, t.texts.get(textFormResume, lang))
		return
	}
	e.prompt(t, t.texts.get(textFormResume, lang), f.Reask(p, p.Slot, lang))
}

// digress answers a knowledge-base question asked in the middle of a form
// (an answer that does not fit, or one that reads as a question) and
// reports whether it did; the form then asks its question again.
func (e *Engine) digress(t *turn, f *form.Flow, out form.Outcome) bool {
	question := looksLikeQuestion(t.in.Text)
	invalid := out.Result == form.Invalid || out.Result == form.TooManyFailures
	// A short answer that does not fit is a mistake, not a question; so is
	// one that talks about what is asked ("我不记得号码了"), and it counts
	// towards offering a person.
	if !question && (!invalid || utf8.RuneCountInString(strings.TrimSpace(t.in.Text)) < minDigression ||
		f.Names(out.Slot, t.in.Text)) {
		return false
	}
	d := e.decide(t)
	if d.Intent != intent.None || d.Match.Verdict != kb.Answer {
		return false
	}
	e.answerEntry(t, d.Match.Candidates[0].Entry)
	return true
}

// surelyAQuestion reports whether a message that also reads as a
// correction is a question the knowledge base answers with near
// certainty: "搬家了，宽带能换到新地址吗？" asks about moving the line, not
// to change the address given ("电话能改一下吗" matches no entry that well
// and stays a correction).
func (e *Engine) surelyAQuestion(t *turn) bool {
	if !looksLikeQuestion(t.in.Text) {
		return false
	}
	d := e.decide(t)
	top, ok := d.Match.Top()
	return d.Intent == intent.None && d.Match.Verdict == kb.Answer && ok &&
		top.Score >= sureScore && top.Coverage >= sureCoverage
}

// A knowledge-base match this strong outranks a correction.
const (
	sureScore    = 0.8
	sureCoverage = 0.9
)

// minDigression is the fewest characters a wrong answer needs before it is
// tried as a question for the knowledge base.
const minDigression = 6

// looksLikeQuestion reports whether a message asks something.
func looksLikeQuestion(text string) bool {
	for _, w := range []string{"?", "？", "吗", "怎么", "如何", "多少", "为什么", "什么", "how ", "what ", "why "} {
		if strings.Contains(strings.ToLower(text), w) {
			return true
		}
	}
	return false
}

// activeForm returns the conversation's form and its progress; a form lost
// to a damaged record or a removed flow is dropped with an apology.
func (e *Engine) activeForm(t *turn) (*form.Flow, form.Progress, bool) {
	p, ok := form.Decode(t.conv.Slots)
	var f *form.Flow
	if flows := e.know.Flows(); ok && flows != nil {
		f, ok = flows.Flow(p.Flow)
	}
	if !ok || f == nil {
		e.dropForm(t)
		t.say(FromBot, textFormLost)
		return nil, p, false
	}
	return f, p, true
}

// cancelForm drops the form at the subscriber's wish.
func (e *Engine) cancelForm(t *turn) {
	form.Clear(t.slots())
	t.setSlot(slotEscalated, "")
	_, _ = fire(t, EventCancel)
}

// dropForm leaves the form without a word of its own.
func (e *Engine) dropForm(t *turn) {
	form.Clear(t.slots())
	t.setSlot(slotEscalated, "")
	_, _ = fire(t, EventGiveUp)
}

// offerAgent says the text and offers a person as a quick reply.
func (e *Engine) offerAgent(t *turn, k textKey, why handoff.Reason) {
	e.offerAgentText(t, t.texts.get(k, t.conv.Lang), why)
}

// prompt sends a form question, after a lead line when there is one.
func (e *Engine) prompt(t *turn, lead string, p form.Prompt) {
	text := p.Text
	if lead != "" {
		text = lead + "\n" + text
	}
	t.reply(FromBot, text, quickReplies(p.Choices))
}

func quickReplies(cs []form.Choice) []channels.QuickReply {
	if len(cs) == 0 {
		return nil
	}
	out := make([]channels.QuickReply, len(cs))
	for i, c := range cs {
		out[i] = channels.QuickReply{Label: c.Label, Payload: c.Payload}
	}
	return out
}

// flowTitle is the title of a form's category, or empty.
func (e *Engine) flowTitle(name, lang string) string {
	flows := e.know.Flows()
	if flows == nil {
		return ""
	}
	if f, ok := flows.Flow(name); ok {
		return f.Title.In(lang)
	}
	return ""
}

// mediaAnswer is the text a form reads from the message: its text, or for
// a location sent where the form asks for an address or an area, the
// location's description. It reports false for media the form cannot
// take (an image, a voice without recognised text, a location elsewhere).
func (e *Engine) mediaAnswer(t *turn, f *form.Flow, p form.Progress) (string, bool) {
	if strings.TrimSpace(t.in.Text) != "" || t.in.Payload != "" || len(t.in.Attachments) == 0 {
		return t.in.Text, true
	}
	a := t.in.Attachments[0]
	if a.Kind != "location" || strings.TrimSpace(a.Label) == "" {
		return "", false
	}
	for _, s := range f.Slots {
		if s.Name == p.Slot && (s.Role == form.RoleAddress || s.Role == form.RoleArea) {
			return a.Label, true
		}
	}
	return "", false
}
