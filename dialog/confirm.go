package dialog

import (
	"strings"

	"hotline/channels"
	"hotline/dialog/form"
	"hotline/dialog/textnorm"
	"hotline/handoff"
	"hotline/tickets"
)

// askConfirm shows the collected details and asks to confirm or change
// them. Sensitive details are shown in full to their owner.
func (e *Engine) askConfirm(t *turn, f *form.Flow, p form.Progress, lead string) {
	lang := t.conv.Lang
	text := t.texts.format(textFormConfirm, lang, "{summary}", f.Summary(p, lang, false))
	if lead != "" {
		text = lead + "\n" + text
	}
	t.reply(FromBot, text, []channels.QuickReply{
		{Label: t.texts.get(textQuickReplyConfirm, lang), Payload: payloadConfirm},
		{Label: t.texts.get(textQuickReplyAmend, lang), Payload: payloadAmend},
		{Label: t.texts.get(textQuickReplyCancel, lang), Payload: payloadCancel},
	})
}

// confirm handles the answer to the summary: yes opens the ticket; a
// change asks that detail again; cancel drops the form.
func (e *Engine) confirm(t *turn) {
	f, p, ok := e.activeForm(t)
	if !ok {
		return
	}
	lang := t.conv.Lang
	switch {
	case t.in.Payload == payloadConfirm || (t.in.Payload == "" && agrees(t.in.Text)):
		e.openTicket(t, f, p)
	case t.in.Payload == payloadCancel:
		e.cancelForm(t)
	case isAgentPayload(t.in.Payload):
		e.agentAsked(t, f, &p)
	case t.in.Payload == payloadAmend:
		t.reply(FromBot, t.texts.get(textFormWhichToChange, lang), e.editChoices(f, lang))
	case strings.HasPrefix(t.in.Payload, payloadEdit):
		_, _ = fire(t, EventAmend)
		pr := f.Reask(&p, strings.TrimPrefix(t.in.Payload, payloadEdit), lang)
		p.Encode(t.slots())
		e.prompt(t, "", pr)
	case t.in.Payload == "" && e.formCommand(t, f, &p):
	default:
		e.askConfirm(t, f, p, t.texts.get(textFormConfirmAgain, lang))
	}
}

// editChoices offers each detail of the form as a button to change it.
func (e *Engine) editChoices(f *form.Flow, lang string) []channels.QuickReply {
	out := make([]channels.QuickReply, 0, len(f.Slots))
	for _, s := range f.Slots {
		out = append(out, channels.QuickReply{Label: s.Label.In(lang), Payload: payloadEdit + s.Name})
	}
	return out
}

// agreeWords confirm a summary.
var agreeWords = []string{"确认", "确定", "对", "是", "是的", "没错", "没问题", "好", "好的", "可以",
	"提交", "yes", "y", "ok", "okay", "confirm", "correct", "right", "sure"}

// agrees reports whether a short answer says yes.
func agrees(text string) bool {
	norm := textnorm.Normalize(text)
	for _, w := range agreeWords {
		if norm == w {
			return true
		}
	}
	return false
}

// openTicket opens the ticket for a confirmed form and tells the
// subscriber its number and the promised times. The form's id is the
// ticket's source key, so a repeat after a crash or a retry finds the same
// ticket instead of opening a second.
func (e *Engine) openTicket(t *turn, f *form.Flow, p form.Progress) {
	if e.desk == nil {
		e.dropForm(t)
		t.say(FromBot, textFaultPending)
		return
	}
	tk, _, err := e.desk.Open(t.ctx, e.draft(t, f, p))
	if err != nil {
		// The form stays at the summary, so saying yes again retries.
		e.deskFailed(t, "open ticket", err)
		return
	}

	form.Clear(t.slots())
	t.setSlot(slotEscalated, "")
	t.visitTicket()
	_, _ = fire(t, EventConfirm)
	e.toldOpened(t, tk)
}

// draft turns a confirmed form into a ticket draft.
func (e *Engine) draft(t *turn, f *form.Flow, p form.Progress) tickets.Draft {
	kind := ticketKind(f)
	phone := f.ByRole(p, form.RoleServiceNumber)
	if c := f.ByRole(p, form.RoleContact); phone == "" || (c != "" && kind == tickets.KindComplaint) {
		phone = c
	}
	d := tickets.Draft{
		Kind: kind, Category: f.Name,
		Owner:          owner(t.conv),
		ConversationID: t.conv.ID,
		Source:         t.conv.Channel,
		SourceKey:      t.conv.ID + "/" + p.ID,
		Phone:          phone,
		Details:        p.Values(),
		Summary:        f.Summary(p, "zh", true),
		Service:        f.Service,
		Area:           f.ByRole(p, form.RoleArea),
		Actor:          "subscriber",
	}
	if kind == tickets.KindComplaint && t.conv.Slots[slotEscalated] != "" {
		d.Priority = tickets.PriorityUrgent
	}
	return d
}

// ticketKind is the kind of ticket a form opens.
func ticketKind(f *form.Flow) tickets.Kind {
	switch f.Kind {
	case form.KindComplaint:
		return tickets.KindComplaint
	case form.KindRequest:
		return tickets.KindRequest
	}
	return tickets.KindFault
}

// toldOpened tells the subscriber the ticket number and what happens next.
func (e *Engine) toldOpened(t *turn, tk tickets.Ticket) {
	lang := t.conv.Lang
	args := []string{"{id}", tk.ID, "{title}", e.ticketTitle(tk, lang),
		"{respond_by}", e.when(tk.RespondBy, lang), "{resolve_by}", e.when(tk.ResolveBy, lang)}
	if tk.OutageID != "" {
		if o, err := e.desk.Outage(t.ctx, tk.OutageID); err == nil && o.Open {
			args = append(args, "{fix}", e.when(o.ExpectedFix, lang))
			t.reply(FromBot, t.texts.format(textTicketOpenedOutage, lang, args...), nil)
			return
		}
	}
	switch tk.Kind {
	case tickets.KindComplaint:
		e.offerAgentText(t, t.texts.format(textComplaintOpened, lang, args...), handoff.ReasonComplaint)
		return
	case tickets.KindRequest:
		t.reply(FromBot, t.texts.format(textCallbackOpened, lang, args...), nil)
		return
	}
	t.reply(FromBot, t.texts.format(textTicketOpened, lang, args...), nil)
}

// offerAgentText says text and offers a person as a quick reply; the
// button's payload carries why, for the agent who takes the conversation.
func (e *Engine) offerAgentText(t *turn, text string, why handoff.Reason) {
	t.reply(FromBot, text, []channels.QuickReply{{
		Label:   t.texts.get(textQuickReplyAgent, t.conv.Lang),
		Payload: agentPayload(why),
	}})
}

// slotEscalated marks a complaint that mentions the regulator (工信部) or
// an appeal (申诉); its ticket gets the highest priority.
const slotEscalated = "complaint.escalated"

// escalationWords are the words that mark a complaint as escalated.
var escalationWords = []string{"工信部", "申诉", "通信管理局", "消协", "12300", "miit", "regulator", "appeal"}

// escalated reports whether a message mentions the regulator or an appeal.
func escalated(text string) bool {
	norm := textnorm.Normalize(text)
	for _, w := range escalationWords {
		if strings.Contains(norm, w) {
			return true
		}
	}
	return false
}
