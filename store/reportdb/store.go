package reportdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"hotline/reports"
	"hotline/store/sqldb"
)

// Store reads and keeps report figures in one database.
type Store struct {
	db *sqldb.DB
}

// New returns the report store of an open database (migrated by
// sqldb.Open).
func New(db *sqldb.DB) *Store { return &Store{db: db} }

func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return s.db.Reader().QueryContext(ctx, s.db.Rebind(q), args...)
}

// Saved returns the kept figures of the days from first to last
// (YYYYMMDD numbers, both included), by day.
func (s *Store) Saved(ctx context.Context, first, last int) (map[int]reports.Saved, error) {
	rows, err := s.query(ctx, `SELECT day, figures, computed_at FROM report_days
		WHERE day >= ? AND day <= ?`, first, last)
	if err != nil {
		return nil, fmt.Errorf("read report days: %w", err)
	}
	defer rows.Close()

	out := map[int]reports.Saved{}
	for rows.Next() {
		var day int
		var body string
		var at int64
		if err := rows.Scan(&day, &body, &at); err != nil {
			return nil, fmt.Errorf("read report day: %w", err)
		}
		var d reports.Day
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			return nil, fmt.Errorf("read report day %d: %w", day, err)
		}
		out[day] = reports.Saved{Day: d, ComputedAt: time.UnixMilli(at).UTC()}
	}
	return out, rows.Err()
}

// Save keeps a day's figures, replacing what was kept for it.
func (s *Store) Save(ctx context.Context, day int, d reports.Day, at time.Time) error {
	body, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode report day %d: %w", day, err)
	}
	err = s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO report_days (day, figures, computed_at)
			VALUES (?, ?, ?) ON CONFLICT (day) DO UPDATE SET figures = excluded.figures,
			computed_at = excluded.computed_at`), day, string(body), at.UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("save report day %d: %w", day, err)
	}
	return nil
}
