package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hotline/tickets"
)

const sqlHistory = `SELECT at, actor, action, from_value, to_value, note
	FROM ticket_history WHERE ticket_id = ? ORDER BY id`

// Ticket returns a ticket with its history, oldest change first, or
// tickets.ErrNotFound.
func (s *Tickets) Ticket(ctx context.Context, id string) (tickets.Ticket, error) {
	st, err := s.statements(ctx)
	if err != nil {
		return tickets.Ticket{}, err
	}
	t, err := s.scanTicket(st.QueryRow(ctx, "SELECT "+ticketColumns+" FROM tickets WHERE id = ?", id))
	if err != nil {
		return tickets.Ticket{}, notFoundOr(err, "ticket "+id)
	}

	rows, err := st.Query(ctx, sqlHistory, id)
	if err != nil {
		return tickets.Ticket{}, fmt.Errorf("history of %s: %w", id, err)
	}
	t.History, err = s.scanHistory(rows)
	return t, err
}

// scanHistory reads history rows and closes them.
func (s *Tickets) scanHistory(rows *sql.Rows) ([]tickets.Change, error) {
	defer rows.Close()
	var out []tickets.Change
	for rows.Next() {
		var c tickets.Change
		if err := rows.Scan(s.at(&c.At), &c.Actor, &c.Action, &c.From, &c.To, &c.Note); err != nil {
			return nil, fmt.Errorf("read history: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	return out, nil
}

// scanTickets reads rows of ticketColumns and closes them.
func (s *Tickets) scanTickets(rows *sql.Rows) ([]tickets.Ticket, error) {
	defer rows.Close()
	var out []tickets.Ticket
	for rows.Next() {
		t, err := s.scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("read ticket: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read tickets: %w", err)
	}
	return out, nil
}

// DueTickets returns up to limit open tickets whose WatchAt is set and not
// after before, soonest first.
func (s *Tickets) DueTickets(ctx context.Context, before time.Time, limit int) ([]tickets.Ticket, error) {
	st, err := s.statements(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := st.Query(ctx, "SELECT "+ticketColumns+
		" FROM tickets WHERE watch_at IS NOT NULL AND "+openStatus+
		" AND watch_at <= ? ORDER BY watch_at, id LIMIT ?", before.UnixNano(), limit)
	if err != nil {
		return nil, fmt.Errorf("due tickets: %w", err)
	}
	return s.scanTickets(rows)
}

// LinkedTickets returns the open tickets linked to an outage, oldest
// first.
func (s *Tickets) LinkedTickets(ctx context.Context, outageID string) ([]tickets.Ticket, error) {
	st, err := s.statements(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := st.Query(ctx, "SELECT "+ticketColumns+
		" FROM tickets WHERE outage_id = ? AND outage_id <> '' AND "+openStatus+" ORDER BY created_at, id", outageID)
	if err != nil {
		return nil, fmt.Errorf("tickets linked to %s: %w", outageID, err)
	}
	return s.scanTickets(rows)
}
