package tickets

import (
	"strconv"
	"time"
)

// EventType says what happened to a ticket.
type EventType string

// Event types.
const (
	EventCreated       EventType = "ticket.created"
	EventStatus        EventType = "ticket.status"
	EventAssigned      EventType = "ticket.assigned"
	EventNote          EventType = "ticket.note"
	EventRated         EventType = "ticket.rated"
	EventAtRisk        EventType = "ticket.at_risk"
	EventBreached      EventType = "ticket.breached"
	EventOutageUpdated EventType = "ticket.outage_updated"
	EventOutageClosed  EventType = "ticket.outage_closed"
)

// Consumers of events. Each event is kept for each of its consumers until
// that consumer has handled it, so a restart or an outage of the consumer
// loses nothing.
const (
	// ConsumerNotify tells the subscriber on their channel.
	ConsumerNotify = "notify"
	// ConsumerCRM forwards to the operator's CRM.
	ConsumerCRM = "crm"
)

// Event is one thing that happened to a ticket, with the ticket as it was
// right after.
type Event struct {
	// Seq orders events; the store assigns it. Events of one ticket are in
	// the order they happened.
	Seq int64
	// Type says what happened.
	Type EventType
	// Ticket is the ticket right after the event, without history.
	Ticket Ticket
	// Change is the history entry the event records, if any.
	Change Change
	// Outage is the linked outage, for outage events.
	Outage *Outage
	// At is when it happened.
	At time.Time
	// Consumers are who must handle it; the store keeps it for each.
	Consumers []string
}

// Key is the event's idempotency key for a consumer: the same event handed
// over twice carries the same key.
func (e Event) Key() string { return e.Ticket.ID + "/" + strconv.FormatInt(e.Seq, 10) }
