package dialog

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"hotline/dialog/textnorm"
	"hotline/tickets"
)

// ticketIDPattern finds a ticket number such as TK20261203-000123 in a
// message, after normalisation (full-width to half-width, upper case).
var ticketIDPattern = regexp.MustCompile(`TK\d{8}-?\d{6,}`)

// mentionedTicket returns the ticket number in a message, if any.
func mentionedTicket(text string) (string, bool) {
	norm := strings.ToUpper(strings.Map(textnorm.Fold, text))
	id := ticketIDPattern.FindString(strings.ReplaceAll(norm, " ", ""))
	if id == "" {
		return "", false
	}
	if !strings.Contains(id, "-") {
		id = id[:10] + "-" + id[10:]
	}
	return id, true
}

// maxListed is how many open tickets a status reply lists.
const maxListed = 5

// ticketStatus answers "where is my ticket": one ticket when the message
// names it and it is the subscriber's, otherwise their open tickets. A
// ticket of someone else is answered exactly like one that does not exist.
func (e *Engine) ticketStatus(t *turn, id string) {
	lang := t.conv.Lang
	if e.desk == nil {
		t.say(FromBot, textStatusPending)
		return
	}
	if id != "" {
		tk, err := e.desk.Lookup(t.ctx, owner(t.conv), id)
		switch {
		case errors.Is(err, tickets.ErrNotFound):
			t.reply(FromBot, t.texts.format(textTicketNotFound, lang, "{id}", id), nil)
		case err != nil:
			e.deskFailed(t, "look up ticket", err)
		default:
			t.reply(FromBot, e.describe(t, tk), nil)
		}
		return
	}

	mine, err := e.desk.Mine(t.ctx, owner(t.conv), maxListed)
	if err != nil {
		e.deskFailed(t, "list tickets", err)
		return
	}
	if len(mine) == 0 {
		t.say(FromBot, textNoOpenTickets)
		return
	}
	if len(mine) == 1 && e.brief[t.conv.Channel] {
		// One ticket on a channel that counts characters: its line alone,
		// so the answer fits in one SMS.
		t.reply(FromBot, e.describe(t, mine[0]), nil)
		return
	}
	lines := []string{t.texts.format(textOpenTickets, lang, "{n}", fmt.Sprint(len(mine)))}
	for i, tk := range mine {
		lines = append(lines, fmt.Sprintf("%d. %s", i+1, e.describe(t, tk)))
	}
	t.reply(FromBot, strings.Join(lines, "\n"), nil)
}

// describe is one ticket's line: number, what it is, status and the
// promised time, and the known fix time of a linked outage.
func (e *Engine) describe(t *turn, tk tickets.Ticket) string {
	lang := t.conv.Lang
	s := t.texts.format(textTicketLine, lang,
		"{id}", tk.ID,
		"{title}", e.ticketTitle(tk, lang),
		"{status}", t.texts.get(statusText(tk.Status), lang),
		"{respond_by}", e.when(tk.RespondBy, lang),
		"{resolve_by}", e.when(tk.ResolveBy, lang))
	if tk.OutageID == "" || !tk.Open() {
		return s
	}
	o, err := e.desk.Outage(t.ctx, tk.OutageID)
	if err != nil || !o.Open {
		return s
	}
	return s + t.texts.format(textTicketOutage, lang, "{fix}", e.when(o.ExpectedFix, lang))
}

// ticketTitle names a ticket's category for the subscriber.
func (e *Engine) ticketTitle(tk tickets.Ticket, lang string) string {
	if title := e.flowTitle(tk.Category, lang); title != "" {
		return title
	}
	return e.texts.get(textKey("ticket_kind_"+string(tk.Kind)), lang)
}

// statusText is the key of a status's name for subscribers.
func statusText(s tickets.Status) textKey { return textKey("ticket_status_" + string(s)) }

// deskFailed tells the subscriber politely that tickets cannot be reached
// now, and logs why without personal data.
func (e *Engine) deskFailed(t *turn, what string, err error) {
	e.log.Error("ticket service failed", "conversation", t.conv.ID, "action", what, "err", err)
	t.say(FromBot, textTicketsUnavailable)
}
