package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"hotline/tickets"
)

const (
	sqlInsertEvent = `INSERT INTO ticket_events (ticket_id, type, payload, at)
		VALUES (?, ?, ?, ?) RETURNING seq`
	// sqlInsertEventRowid is the same insert for SQLite, whose seq is the
	// rowid: reading it from the result costs less than a row to scan.
	sqlInsertEventRowid = `INSERT INTO ticket_events (ticket_id, type, payload, at)
		VALUES (?, ?, ?, ?)`
	sqlInsertOutbox = "INSERT INTO ticket_outbox (consumer, seq) VALUES (?, ?)"
)

// payload is the first form of an event's stored JSON, the plain JSON of
// the tickets types; events are now written in the compact form of
// eventsnap.go, and this one is only read.
type payload struct {
	Ticket    tickets.Ticket  `json:"ticket"`
	Change    tickets.Change  `json:"change"`
	Outage    *tickets.Outage `json:"outage,omitempty"`
	Consumers []string        `json:"consumers,omitempty"`
}

// eventRow is an event ready to insert.
type eventRow struct {
	ticketID  string
	typ       string
	payload   string
	at        any
	consumers []string
}

// encodeEvents turns events into rows.
func encodeEvents(events []tickets.Event) ([]eventRow, error) {
	rows := make([]eventRow, len(events))
	for i, e := range events {
		b, err := json.Marshal(compact(e))
		if err != nil {
			return nil, fmt.Errorf("encode event of %s: %w", e.Ticket.ID, err)
		}
		rows[i] = eventRow{ticketID: e.Ticket.ID, typ: string(e.Type), payload: string(b),
			at: nanos(e.At), consumers: e.Consumers}
	}
	return rows, nil
}

// insertEvents stores events and one outbox row per consumer of each.
func insertEvents(ctx context.Context, tx *sql.Tx, st *Statements, events []eventRow) error {
	for _, e := range events {
		seq, err := insertEvent(ctx, tx, st, e)
		if err != nil {
			return fmt.Errorf("insert event of %s: %w", e.ticketID, err)
		}
		for _, c := range e.consumers {
			if _, err := st.Exec(ctx, tx, sqlInsertOutbox, c, seq); err != nil {
				return fmt.Errorf("queue event %d for %s: %w", seq, c, err)
			}
		}
	}
	return nil
}

// insertEvent stores one event and returns its seq.
func insertEvent(ctx context.Context, tx *sql.Tx, st *Statements, e eventRow) (int64, error) {
	if st.db.dialect == SQLite {
		res, err := st.Exec(ctx, tx, sqlInsertEventRowid, e.ticketID, e.typ, e.payload, e.at)
		if err != nil {
			return 0, err
		}
		return res.LastInsertId()
	}
	rows, err := st.QueryTx(ctx, tx, sqlInsertEvent, e.ticketID, e.typ, e.payload, e.at)
	if err != nil {
		return 0, err
	}
	var seq int64
	return seq, scanOne(rows, &seq)
}

// PendingEvents returns up to limit events the consumer has not handled,
// in Seq order.
func (s *Tickets) PendingEvents(ctx context.Context, consumer string, limit int) ([]tickets.Event, error) {
	st, err := s.statements(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := st.Query(ctx, `SELECT e.seq, e.type, e.payload, e.at
		FROM ticket_outbox o JOIN ticket_events e ON e.seq = o.seq
		WHERE o.consumer = ? ORDER BY o.seq LIMIT ?`, consumer, limit)
	if err != nil {
		return nil, fmt.Errorf("pending events for %s: %w", consumer, err)
	}
	defer rows.Close()

	var out []tickets.Event
	for rows.Next() {
		e, err := s.scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending events for %s: %w", consumer, err)
	}
	return out, nil
}

// scanEvent reads one event row and decodes its payload.
func (s *Tickets) scanEvent(rows *sql.Rows) (tickets.Event, error) {
	var e tickets.Event
	var typ, raw string
	if err := rows.Scan(&e.Seq, &typ, &raw, s.at(&e.At)); err != nil {
		return e, fmt.Errorf("read event: %w", err)
	}
	if err := s.decodePayload(&e, raw); err != nil {
		return e, fmt.Errorf("read event %d: %w", e.Seq, err)
	}
	e.Type = tickets.EventType(typ)
	s.localize(&e)
	return e, nil
}

// decodePayload reads a stored payload of either form into e.
func (s *Tickets) decodePayload(e *tickets.Event, raw string) error {
	var c compactPayload
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return err
	}
	if c.V == snapVersion {
		c.expand(e, s.loc)
		return nil
	}
	var p payload
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return err
	}
	e.Ticket, e.Change, e.Outage, e.Consumers = p.Ticket, p.Change, p.Outage, p.Consumers
	return nil
}

// localize puts the decoded times of an event in the store's location;
// JSON keeps the instant and an offset, not the location.
func (s *Tickets) localize(e *tickets.Event) {
	t := &e.Ticket
	for _, p := range []*time.Time{&t.RespondBy, &t.ResolveBy, &t.RespondedAt, &t.ResolvedAt,
		&t.WatchAt, &t.CreatedAt, &t.UpdatedAt, &e.Change.At} {
		*p = localTime(*p, s.loc)
	}
	if o := e.Outage; o != nil {
		for _, p := range []*time.Time{&o.ExpectedFix, &o.DeclaredAt, &o.UpdatedAt, &o.ClosedAt} {
			*p = localTime(*p, s.loc)
		}
	}
}

// handledChunk bounds the placeholders of one delete.
const handledChunk = 500

// EventsHandled records that the consumer handled the events: their
// outbox rows go. Events stay as the tickets' log.
//
// Known gap: nothing deletes old events yet, so ticket_events grows with
// every change until a retention rule for it is added.
func (s *Tickets) EventsHandled(ctx context.Context, consumer string, seqs []int64) error {
	for len(seqs) > 0 {
		n := min(len(seqs), handledChunk)
		chunk := seqs[:n]
		seqs = seqs[n:]

		args := make([]any, 0, n+1)
		args = append(args, consumer)
		for _, q := range chunk {
			args = append(args, q)
		}
		q := s.db.Rebind("DELETE FROM ticket_outbox WHERE consumer = ? AND seq IN (" +
			strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")")
		err := s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		})
		if err != nil {
			return fmt.Errorf("events handled by %s: %w", consumer, err)
		}
	}
	return nil
}
