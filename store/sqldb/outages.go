package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"hotline/tickets"
)

const outageColumns = `id, service, area, description, expected_fix, is_open, note,
	declared_at, updated_at, closed_at, version`

const (
	sqlInsertOutage = "INSERT INTO outages (" + outageColumns + `)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	sqlUpdateOutage = `UPDATE outages SET service = ?, area = ?, description = ?,
		expected_fix = ?, is_open = ?, note = ?, updated_at = ?, closed_at = ?,
		version = version + 1
		WHERE id = ? AND version = ?`
)

// defaultOutages is how many outages Outages returns for a limit of 0.
const defaultOutages = 100

// CreateOutage stores a new outage with version 1 and an id made with
// tickets.FormatID from its declaration time.
func (s *Tickets) CreateOutage(ctx context.Context, o tickets.Outage) (tickets.Outage, error) {
	st, err := s.statements(ctx)
	if err != nil {
		return tickets.Outage{}, err
	}
	n, err := s.outageIDs.take(ctx, s.db, st)
	if err != nil {
		return tickets.Outage{}, err
	}
	o.ID = tickets.FormatID(tickets.OutagePrefix, o.DeclaredAt, n)
	o.Version = 1

	err = s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := st.Exec(ctx, tx, sqlInsertOutage, o.ID, o.Service, o.Area, o.Description,
			nanos(o.ExpectedFix), openFlag(o.Open), o.Note, nanos(o.DeclaredAt),
			nanos(o.UpdatedAt), nanos(o.ClosedAt), o.Version)
		return conflictOr(err, "insert outage")
	})
	if err != nil {
		return tickets.Outage{}, err
	}
	return o, nil
}

// UpdateOutage stores o, read at o.Version, with events for the tickets
// linked to it. It returns tickets.ErrConflict when the outage changed
// since it was read or does not exist.
func (s *Tickets) UpdateOutage(ctx context.Context, o tickets.Outage, events []tickets.Event) error {
	rows, err := encodeEvents(events)
	if err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx, st *Statements) error {
		res, err := st.Exec(ctx, tx, sqlUpdateOutage, o.Service, o.Area, o.Description,
			nanos(o.ExpectedFix), openFlag(o.Open), o.Note, nanos(o.UpdatedAt),
			nanos(o.ClosedAt), o.ID, o.Version)
		if err != nil {
			return fmt.Errorf("update outage %s: %w", o.ID, err)
		}
		if k, err := res.RowsAffected(); err != nil || k == 0 {
			return fmt.Errorf("update outage %s at version %d: %w", o.ID, o.Version, tickets.ErrConflict)
		}
		return insertEvents(ctx, tx, st, rows)
	})
}

// Outage returns an outage, or tickets.ErrNotFound.
func (s *Tickets) Outage(ctx context.Context, id string) (tickets.Outage, error) {
	st, err := s.statements(ctx)
	if err != nil {
		return tickets.Outage{}, err
	}
	o, err := s.scanOutage(st.QueryRow(ctx, "SELECT "+outageColumns+" FROM outages WHERE id = ?", id))
	if err != nil {
		return tickets.Outage{}, notFoundOr(err, "outage "+id)
	}
	return o, nil
}

// Outages returns the open outages, or all with includeClosed, newest
// first, at most limit (100 when limit is 0).
func (s *Tickets) Outages(ctx context.Context, includeClosed bool, limit int) ([]tickets.Outage, error) {
	st, err := s.statements(ctx)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = defaultOutages
	}
	q := "SELECT " + outageColumns + " FROM outages WHERE is_open = 1 ORDER BY declared_at DESC, id DESC LIMIT ?"
	if includeClosed {
		q = "SELECT " + outageColumns + " FROM outages ORDER BY declared_at DESC, id DESC LIMIT ?"
	}
	rows, err := st.Query(ctx, q, limit)
	if err != nil {
		return nil, fmt.Errorf("list outages: %w", err)
	}
	defer rows.Close()

	var out []tickets.Outage
	for rows.Next() {
		o, err := s.scanOutage(rows)
		if err != nil {
			return nil, fmt.Errorf("list outages: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (s *Tickets) scanOutage(row rowScanner) (tickets.Outage, error) {
	var o tickets.Outage
	var open int64
	err := row.Scan(&o.ID, &o.Service, &o.Area, &o.Description, s.at(&o.ExpectedFix), &open,
		&o.Note, s.at(&o.DeclaredAt), s.at(&o.UpdatedAt), s.at(&o.ClosedAt), &o.Version)
	o.Open = open == 1
	return o, err
}

// openFlag stores a flag as 1 or 0, the same on both dialects.
func openFlag(open bool) int64 {
	if open {
		return 1
	}
	return 0
}
