package tickets

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Store keeps tickets, their history, outages, idempotency records and the
// events waiting for their consumers. Every method that takes events stores
// them in the same transaction as the change they describe.
type Store interface {
	// CreateTicket stores a new ticket, its history and events, and
	// assigns its ID with FormatID. When a ticket with the same non-empty
	// SourceKey exists, nothing is stored and that ticket is returned with
	// created false.
	CreateTicket(ctx context.Context, t Ticket, events []Event) (stored Ticket, created bool, err error)
	// Ticket returns a ticket with its history, or ErrNotFound.
	Ticket(ctx context.Context, id string) (Ticket, error)
	// ListTickets returns one page of tickets matching the filter, newest
	// first, without history.
	ListTickets(ctx context.Context, f Filter) (Page, error)
	// UpdateTicket stores t, read at t.Version, with new history entries
	// and events. It returns ErrConflict when the ticket changed since it
	// was read. A non-nil idem is stored in the same transaction;
	// ErrConflict also means its key is already taken.
	UpdateTicket(ctx context.Context, t Ticket, changes []Change, events []Event, idem *Idempotency) error
	// DueTickets returns up to limit open tickets whose WatchAt is set and
	// not after the given time, soonest first.
	DueTickets(ctx context.Context, before time.Time, limit int) ([]Ticket, error)
	// Idempotency returns the record stored under key, or ErrNotFound.
	Idempotency(ctx context.Context, key string) (Idempotency, error)

	// CreateOutage stores a new outage and assigns its ID with FormatID.
	CreateOutage(ctx context.Context, o Outage) (Outage, error)
	// Outage returns an outage, or ErrNotFound.
	Outage(ctx context.Context, id string) (Outage, error)
	// UpdateOutage stores o, read at o.Version, with events for the
	// tickets linked to it; ErrConflict when it changed since.
	UpdateOutage(ctx context.Context, o Outage, events []Event) error
	// Outages returns the open outages, or all when includeClosed is set,
	// newest first, at most limit.
	Outages(ctx context.Context, includeClosed bool, limit int) ([]Outage, error)
	// LinkedTickets returns the open tickets linked to an outage.
	LinkedTickets(ctx context.Context, outageID string) ([]Ticket, error)

	// PendingEvents returns up to limit events the consumer has not
	// handled, in Seq order.
	PendingEvents(ctx context.Context, consumer string, limit int) ([]Event, error)
	// EventsHandled records that the consumer handled the events.
	EventsHandled(ctx context.Context, consumer string, seqs []int64) error
}

// WatchAt is when a ticket's risk may next change; the scanner looks at
// tickets whose time has come. Zero means there is nothing left to watch.
func WatchAt(t Ticket, p Policy) time.Time {
	return p.watchAt(t)
}

// Filter selects tickets for a list.
type Filter struct {
	// Status keeps tickets in any of these statuses; empty keeps all.
	Status []Status
	// Kind keeps one kind; empty keeps all.
	Kind Kind
	// Phone keeps tickets with this service or contact number.
	Phone string
	// Breached keeps breached tickets when true, the others when false.
	Breached *bool
	// CreatedFrom and CreatedTo bound the creation time; zero is unbounded.
	// CreatedTo is exclusive.
	CreatedFrom time.Time
	// CreatedTo is the exclusive upper bound of the creation time.
	CreatedTo time.Time
	// Owner keeps the tickets of one subscriber.
	Owner *Owner
	// OpenOnly keeps tickets that still need work (not resolved, closed
	// or cancelled).
	OpenOnly bool
	// Limit is the page size.
	Limit int
	// Cursor continues a previous page; empty starts at the newest.
	Cursor string
}

// Page is one page of a ticket list.
type Page struct {
	// Tickets are newest first.
	Tickets []Ticket
	// Next continues the list; empty on the last page.
	Next string
}

// Idempotency is the stored outcome of a request made with an
// Idempotency-Key, replayed when the same key comes again.
type Idempotency struct {
	// Key is the caller's key, scoped by the caller's name.
	Key string
	// RequestHash tells a repeated request from a different one reusing
	// the key.
	RequestHash string
	// Status is the response's HTTP status.
	Status int
	// Body is the response body.
	Body []byte
	// At is when it was stored.
	At time.Time
}

// Errors a Store returns.
var (
	// ErrNotFound means the record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the record changed since it was read, or a unique
	// key is already taken.
	ErrConflict = errors.New("conflict")
)

// FormatID makes a human-readable id from a prefix, the creation day in
// the creation time's location and a sequence number:
// FormatID("TK", t, 123) is TK20261203-000123.
func FormatID(prefix string, created time.Time, n int64) string {
	return fmt.Sprintf("%s%s-%06d", prefix, created.Format("20060102"), n)
}

// ID prefixes.
const (
	TicketPrefix = "TK"
	OutagePrefix = "OG"
)
