package dialog

import (
	"context"
	"time"

	"hotline/tickets"
)

// TicketDesk is what the dialog needs from the ticket service: open a
// ticket from a confirmed form, list and look up a subscriber's own
// tickets, store a rating and read an outage.
type TicketDesk interface {
	Open(ctx context.Context, d tickets.Draft) (tickets.Ticket, bool, error)
	Mine(ctx context.Context, o tickets.Owner, limit int) ([]tickets.Ticket, error)
	Lookup(ctx context.Context, o tickets.Owner, id string) (tickets.Ticket, error)
	Rate(ctx context.Context, o tickets.Owner, id string, rating int) (tickets.Ticket, error)
	Outage(ctx context.Context, id string) (tickets.Outage, error)
}

// owner is the ticket owner a conversation speaks for.
func owner(c Conversation) tickets.Owner {
	return tickets.Owner{Channel: c.Channel, Address: c.Address, SubscriberID: c.SubscriberID}
}

// when formats a time for a subscriber in the operator's time zone.
func (e *Engine) when(at time.Time, lang string) string {
	at = at.In(e.loc)
	if lang == "en" {
		return at.Format("Jan 2 15:04")
	}
	return at.Format("1月2日 15:04")
}
