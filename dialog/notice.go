package dialog

import (
	"context"
	"fmt"
	"strconv"

	"hotline/channels"
	"hotline/tickets"
)

// noticeKey is the transcript key that makes a ticket notice idempotent:
// the first message of a notice carries it as its provider id, and the
// store's unique provider ids refuse a second copy.
func noticeKey(e tickets.Event) string { return "ticket-event:" + strconv.FormatInt(e.Seq, 10) }

// TicketNotice tells a ticket's owner, on the channel they used, what
// happened to their ticket: taken up, resolved (with the resolution and a
// rating question), cancelled, reopened, or news of the outage it is
// linked to. Other events need no message. Handing the same event over
// again sends nothing twice. It is the handler of the ticket event relay.
func (e *Engine) TicketNotice(ctx context.Context, ev tickets.Event) error {
	o := ev.Ticket.Owner
	if o.Channel == "" || o.Address == "" {
		return nil
	}
	if _, ok := e.noticeText(ev, "zh"); !ok {
		return nil
	}

	err := e.fromOutside(ctx, o.Channel, o.Address, noticeKey(ev), func(t *turn) (*Message, error) {
		text, _ := e.noticeText(ev, t.conv.Lang)
		var quick []channels.QuickReply
		if ev.Type == tickets.EventStatus && ev.Ticket.Status == tickets.StatusResolved {
			quick = e.askRating(t, ev.Ticket.ID)
		}
		return t.reply(FromSystem, text, quick), nil
	})
	if err != nil {
		return fmt.Errorf("ticket notice: %w", err)
	}
	return nil
}

// noticeText is what the owner is told about an event, if anything.
func (e *Engine) noticeText(ev tickets.Event, lang string) (string, bool) {
	tk := ev.Ticket
	args := []string{"{id}", tk.ID, "{title}", e.ticketTitle(tk, lang),
		"{resolve_by}", e.when(tk.ResolveBy, lang)}
	var k textKey
	switch ev.Type {
	case tickets.EventStatus:
		k = statusNotice(tk.Status)
		args = append(args, "{resolution}", tk.Resolution)
	case tickets.EventOutageUpdated, tickets.EventOutageClosed:
		if ev.Outage == nil {
			return "", false
		}
		k = textNoticeOutageUpdated
		if ev.Type == tickets.EventOutageClosed {
			k = textNoticeOutageClosed
		}
		args = append(args, "{fix}", e.when(ev.Outage.ExpectedFix, lang), "{note}", ev.Outage.Note)
	}
	if k == "" {
		return "", false
	}
	return e.texts.format(k, lang, args...), true
}

// statusNotice is the notice of a status change; closing a resolved ticket
// and assignments between back-office staff need none.
func statusNotice(s tickets.Status) textKey {
	switch s {
	case tickets.StatusAssigned, tickets.StatusInProgress:
		return textNoticeInProgress
	case tickets.StatusResolved:
		return textNoticeResolved
	case tickets.StatusCancelled:
		return textNoticeCancelled
	case tickets.StatusReopened:
		return textNoticeReopened
	}
	return ""
}
