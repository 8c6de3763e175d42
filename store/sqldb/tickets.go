package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"hotline/tickets"
)

var _ tickets.Store = (*Tickets)(nil)

// Tickets is the ticket store on SQLite or PostgreSQL. It keeps tickets,
// their history, outages, idempotency records, and each event until every
// consumer it names has handled it (an outbox row per consumer).
type Tickets struct {
	db  *DB
	loc *time.Location

	ticketIDs *idBlocks
	outageIDs *idBlocks

	mu    sync.Mutex
	stmts *Statements

	batch *ticketBatcher // PostgreSQL only
}

// TicketsOption changes how a Tickets store works.
type TicketsOption func(*Tickets)

// WithLocation makes the store return times in loc instead of UTC.
func WithLocation(loc *time.Location) TicketsOption {
	return func(s *Tickets) {
		if loc != nil {
			s.loc = loc
		}
	}
}

// Block sizes of reserved ids. Numbers left in a block when the process
// stops are never used; gaps are fine.
const (
	ticketIDBlock = 100
	outageIDBlock = 10
)

// NewTickets returns the ticket store of db.
func NewTickets(db *DB, opts ...TicketsOption) *Tickets {
	s := &Tickets{db: db, loc: time.UTC,
		ticketIDs: newIDBlocks(tickets.TicketPrefix, ticketIDBlock),
		outageIDs: newIDBlocks(tickets.OutagePrefix, outageIDBlock),
	}
	for _, o := range opts {
		o(s)
	}
	if db.dialect == Postgres {
		s.batch = newTicketBatcher(s)
		db.onClose(s.batch.stop)
	}
	return s
}

// writeStatements are the queries Write functions run, prepared once.
var writeStatements = []string{
	sqlInsertTicket, sqlUpdateTicket, sqlInsertHistory, sqlInsertEvent, sqlInsertEventRowid,
	sqlInsertOutbox,
	sqlInsertIdempotency, sqlInsertOutage, sqlUpdateOutage, sqlReserveIDs,
}

// statements returns the prepared statements, preparing them on first
// use. It must not be called inside a Write function.
func (s *Tickets) statements(ctx context.Context) (*Statements, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stmts != nil {
		return s.stmts, nil
	}
	st, err := s.db.Prepare(ctx, writeStatements...)
	if err != nil {
		return nil, fmt.Errorf("ticket store: %w", err)
	}
	s.stmts = st
	return st, nil
}

// Close releases the prepared statements; the DB stays open.
func (s *Tickets) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stmts != nil {
		s.stmts.Close()
		s.stmts = nil
	}
}

// write prepares the statements if needed and runs fn through DB.Write.
func (s *Tickets) write(ctx context.Context, fn func(context.Context, *sql.Tx, *Statements) error) error {
	st, err := s.statements(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error { return fn(ctx, tx, st) })
}

// conflictOr turns a unique-constraint failure into tickets.ErrConflict
// and wraps any other error.
func conflictOr(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case IsUniqueViolation(err):
		return fmt.Errorf("%s: %w", what, tickets.ErrConflict)
	default:
		return fmt.Errorf("%s: %w", what, err)
	}
}

// notFoundOr turns sql.ErrNoRows into tickets.ErrNotFound.
func notFoundOr(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, tickets.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// encodeDetails stores a ticket's answers as a JSON object.
func encodeDetails(d map[string]string) (string, error) {
	if len(d) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("encode details: %w", err)
	}
	return string(b), nil
}
