package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"hotline/tickets"
)

const sqlInsertHistory = `INSERT INTO ticket_history
	(ticket_id, at, actor, action, from_value, to_value, note) VALUES (?, ?, ?, ?, ?, ?, ?)`

// CreateTicket stores a new ticket with its history and events and gives
// it an id made with tickets.FormatID. When a ticket with the same
// non-empty SourceKey exists, including one created by a concurrent call,
// nothing is stored and that ticket is returned with created false. A
// clash of ids is tickets.ErrConflict.
func (s *Tickets) CreateTicket(ctx context.Context, t tickets.Ticket,
	events []tickets.Event) (tickets.Ticket, bool, error) {
	st, err := s.statements(ctx)
	if err != nil {
		return tickets.Ticket{}, false, err
	}
	n, err := s.ticketIDs.take(ctx, s.db, st)
	if err != nil {
		return tickets.Ticket{}, false, err
	}
	t.ID = tickets.FormatID(tickets.TicketPrefix, t.CreatedAt, n)
	t.Version = 1

	// Encode outside the transaction: on SQLite one goroutine runs every
	// write, so work done before it is work taken off it.
	details, err := encodeDetails(t.Details)
	if err != nil {
		return tickets.Ticket{}, false, err
	}
	rows, err := encodeEvents(stamp(events, t))
	if err != nil {
		return tickets.Ticket{}, false, err
	}

	if s.batch != nil && fitsBatch(t, rows) {
		return s.createBatched(ctx, t, details, rows)
	}

	var existing *tickets.Ticket
	err = s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		found, err := s.createTx(ctx, tx, st, t, details, rows)
		existing = found
		return err
	})
	switch {
	case err != nil:
		return tickets.Ticket{}, false, err
	case existing != nil:
		return *existing, false, nil
	}
	return t, true, nil
}

// createBatched stores the new ticket in a batch with those created at
// the same time.
func (s *Tickets) createBatched(ctx context.Context, t tickets.Ticket, details string,
	rows []eventRow) (tickets.Ticket, bool, error) {
	req := &createReq{ctx: ctx, t: t, details: details, rows: rows}
	s.batch.create(req)
	switch {
	case req.err != nil:
		return tickets.Ticket{}, false, req.err
	case req.existing != nil:
		return *req.existing, false, nil
	}
	return t, true, nil
}

// createTx stores the new ticket inside a Write transaction, one
// statement per row. When the source key is taken it stores nothing and
// returns the ticket that holds the key.
func (s *Tickets) createTx(ctx context.Context, tx *sql.Tx, st *Statements, t tickets.Ticket,
	details string, rows []eventRow) (*tickets.Ticket, error) {
	inserted, err := insertTicket(ctx, tx, st, t, details, rows)
	if err != nil || inserted {
		return nil, err
	}
	found, err := s.ticketBySourceKey(ctx, tx, t.SourceKey)
	return &found, err
}

// insertTicket stores a new ticket, its history and its events with one
// statement per row. It reports false, having stored nothing, when the
// ticket's source key is taken.
func insertTicket(ctx context.Context, tx *sql.Tx, st *Statements, t tickets.Ticket,
	details string, rows []eventRow) (bool, error) {
	res, err := st.Exec(ctx, tx, sqlInsertTicket, ticketArgs(t, details)...)
	if err != nil {
		return false, conflictOr(err, "insert ticket")
	}
	if k, err := res.RowsAffected(); err != nil || k == 0 {
		return false, err
	}
	if err := insertHistory(ctx, tx, st, t.ID, t.History); err != nil {
		return false, err
	}
	return true, insertEvents(ctx, tx, st, rows)
}

// ticketBySourceKey reads, inside a write, the ticket that holds a source
// key. The repeated condition lets PostgreSQL use the partial unique index.
func (s *Tickets) ticketBySourceKey(ctx context.Context, tx *sql.Tx, key string) (tickets.Ticket, error) {
	row := tx.QueryRowContext(ctx, s.db.Rebind("SELECT "+ticketColumns+
		" FROM tickets WHERE source_key = ? AND source_key <> ''"), key)
	t, err := s.scanTicket(row)
	if err != nil {
		return t, notFoundOr(err, "ticket by source key")
	}
	rows, err := tx.QueryContext(ctx, s.db.Rebind(sqlHistory), t.ID)
	if err != nil {
		return t, fmt.Errorf("history of %s: %w", t.ID, err)
	}
	t.History, err = s.scanHistory(rows)
	return t, err
}

// insertHistory stores history entries of a ticket, oldest first.
func insertHistory(ctx context.Context, tx *sql.Tx, st *Statements, id string, changes []tickets.Change) error {
	for _, c := range changes {
		_, err := st.Exec(ctx, tx, sqlInsertHistory, id, nanos(c.At), c.Actor, c.Action,
			c.From, c.To, c.Note)
		if err != nil {
			return fmt.Errorf("insert history of %s: %w", id, err)
		}
	}
	return nil
}

// stamp sets the stored id and version on the snapshots of t in events,
// so each event carries the ticket as stored right after it.
func stamp(events []tickets.Event, t tickets.Ticket) []tickets.Event {
	out := make([]tickets.Event, len(events))
	for i, e := range events {
		if e.Ticket.ID == "" || e.Ticket.ID == t.ID {
			e.Ticket.ID, e.Ticket.Version = t.ID, t.Version
		}
		out[i] = e
	}
	return out
}
