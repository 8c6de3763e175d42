package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"hotline/tickets"
)

const sqlInsertIdempotency = `INSERT INTO idempotency
	(idem_key, request_hash, status, body, at) VALUES (?, ?, ?, ?, ?)`

// UpdateTicket stores t, read at t.Version, with its new history entries,
// its events and, when idem is not nil, the idempotency record, all in one
// transaction. It returns tickets.ErrConflict when the ticket changed
// since it was read (or does not exist) or idem's key is already taken.
func (s *Tickets) UpdateTicket(ctx context.Context, t tickets.Ticket, changes []tickets.Change,
	events []tickets.Event, idem *tickets.Idempotency) error {
	details, err := encodeDetails(t.Details)
	if err != nil {
		return err
	}
	stored := t
	stored.Version++
	rows, err := encodeEvents(stamp(events, stored))
	if err != nil {
		return err
	}

	return s.write(ctx, func(ctx context.Context, tx *sql.Tx, st *Statements) error {
		res, err := st.Exec(ctx, tx, sqlUpdateTicket, updateArgs(t, details)...)
		if err != nil {
			return fmt.Errorf("update ticket %s: %w", t.ID, err)
		}
		if k, err := res.RowsAffected(); err != nil || k == 0 {
			return fmt.Errorf("update ticket %s at version %d: %w", t.ID, t.Version, tickets.ErrConflict)
		}
		if err := insertHistory(ctx, tx, st, t.ID, changes); err != nil {
			return err
		}
		if err := insertEvents(ctx, tx, st, rows); err != nil {
			return err
		}
		return insertIdempotency(ctx, tx, st, idem)
	})
}

// insertIdempotency stores a request's outcome; a taken key is
// tickets.ErrConflict.
func insertIdempotency(ctx context.Context, tx *sql.Tx, st *Statements, idem *tickets.Idempotency) error {
	if idem == nil {
		return nil
	}
	body := idem.Body
	if body == nil {
		body = []byte{}
	}
	_, err := st.Exec(ctx, tx, sqlInsertIdempotency, idem.Key, idem.RequestHash,
		int64(idem.Status), body, nanos(idem.At))
	return conflictOr(err, "store idempotency record")
}

// Idempotency returns the record stored under key, or tickets.ErrNotFound.
func (s *Tickets) Idempotency(ctx context.Context, key string) (tickets.Idempotency, error) {
	st, err := s.statements(ctx)
	if err != nil {
		return tickets.Idempotency{}, err
	}
	var rec tickets.Idempotency
	var status int64
	err = st.QueryRow(ctx, `SELECT idem_key, request_hash, status, body, at
		FROM idempotency WHERE idem_key = ?`, key).
		Scan(&rec.Key, &rec.RequestHash, &status, &rec.Body, timeScan{t: &rec.At, loc: s.loc})
	if err != nil {
		return tickets.Idempotency{}, notFoundOr(err, "idempotency record")
	}
	rec.Status = int(status)
	return rec, nil
}
