package reportdb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hotline/reports"
)

// apiSource is the source of tickets opened through the back office's
// API, and the channel name they are counted under.
const apiSource = "api"

// Compute returns the figures of the time range [from, to): the visits
// that began in it, the tickets opened, first answered and resolved in
// it.
func (s *Store) Compute(ctx context.Context, from, to time.Time) (reports.Day, error) {
	var d reports.Day
	steps := []func(context.Context, *reports.Day, time.Time, time.Time) error{
		s.visits, s.opened, s.responded, s.resolved,
	}
	for _, step := range steps {
		if err := step(ctx, &d, from, to); err != nil {
			return reports.Day{}, err
		}
	}
	return d, nil
}

// visits counts the visits that began in the range.
func (s *Store) visits(ctx context.Context, d *reports.Day, from, to time.Time) error {
	rows, err := s.query(ctx, `SELECT channel, answered, unanswered, tickets, handoff_at,
		first_reply_at, rating, rated_agent FROM visits WHERE started_at >= ? AND started_at < ?`,
		from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return fmt.Errorf("read visits: %w", err)
	}
	defer rows.Close()

	for rows.Next() {
		var channel, rated string
		var answered, unanswered, tickets, handoff, reply, rating int64
		if err := rows.Scan(&channel, &answered, &unanswered, &tickets, &handoff,
			&reply, &rating, &rated); err != nil {
			return fmt.Errorf("read visit: %w", err)
		}
		c := d.Channel(channel)
		c.Visits++
		c.Answered += int(answered)
		c.Unanswered += int(unanswered)
		switch {
		case handoff > 0:
			c.Handoffs++
		case tickets == 0:
			c.SelfService++
		}
		if handoff > 0 && reply >= handoff {
			d.FirstReplies = append(d.FirstReplies, (reply-handoff)/1000)
		}
		if rating > 0 && rated != "" {
			d.Agent(rated).Rate(int(rating))
		}
	}
	return rows.Err()
}

// opened counts the tickets opened in the range, by the channel they
// came from.
func (s *Store) opened(ctx context.Context, d *reports.Day, from, to time.Time) error {
	rows, err := s.query(ctx, `SELECT source, COUNT(*) FROM tickets
		WHERE created_at >= ? AND created_at < ? GROUP BY source`, from.UnixNano(), to.UnixNano())
	if err != nil {
		return fmt.Errorf("read opened tickets: %w", err)
	}
	defer rows.Close()

	for rows.Next() {
		var source string
		var n int
		if err := rows.Scan(&source, &n); err != nil {
			return fmt.Errorf("read opened tickets: %w", err)
		}
		if source == "" {
			source = apiSource
		}
		d.Channel(source).Tickets += n
	}
	return rows.Err()
}

// responded collects the tickets first answered in the range.
func (s *Store) responded(ctx context.Context, d *reports.Day, from, to time.Time) error {
	rows, err := s.query(ctx, `SELECT kind, created_at, respond_by, responded_at FROM tickets
		WHERE responded_at >= ? AND responded_at < ?`, from.UnixNano(), to.UnixNano())
	if err != nil {
		return fmt.Errorf("read answered tickets: %w", err)
	}
	defer rows.Close()

	for rows.Next() {
		var kind string
		var created, at int64
		var due sql.NullInt64
		if err := rows.Scan(&kind, &created, &due, &at); err != nil {
			return fmt.Errorf("read answered ticket: %w", err)
		}
		k := d.Kind(kind)
		k.Responded++
		k.ResponseSecs = append(k.ResponseSecs, seconds(at-created))
		if !due.Valid || at <= due.Int64 {
			k.RespondedOnTime++
		}
		if due.Valid {
			k.ResponseTargets = append(k.ResponseTargets, seconds(due.Int64-created))
		}
	}
	return rows.Err()
}

// resolved collects the tickets resolved in the range and their ratings.
func (s *Store) resolved(ctx context.Context, d *reports.Day, from, to time.Time) error {
	rows, err := s.query(ctx, `SELECT kind, source, created_at, resolve_by, resolved_at, rating
		FROM tickets WHERE resolved_at >= ? AND resolved_at < ?`, from.UnixNano(), to.UnixNano())
	if err != nil {
		return fmt.Errorf("read resolved tickets: %w", err)
	}
	defer rows.Close()

	for rows.Next() {
		var kind, source string
		var created, at, rating int64
		var due sql.NullInt64
		if err := rows.Scan(&kind, &source, &created, &due, &at, &rating); err != nil {
			return fmt.Errorf("read resolved ticket: %w", err)
		}
		k := d.Kind(kind)
		k.Resolved++
		k.ResolutionSecs = append(k.ResolutionSecs, seconds(at-created))
		if !due.Valid || at <= due.Int64 {
			k.ResolvedOnTime++
		}
		if due.Valid {
			k.ResolutionTargets = append(k.ResolutionTargets, seconds(due.Int64-created))
		}
		if rating > 0 {
			k.Ratings.Rate(int(rating))
			if source != "" && source != apiSource {
				d.Bot.Rate(int(rating))
			}
		}
	}
	return rows.Err()
}

// seconds turns nanoseconds into whole seconds.
func seconds(nanos int64) int64 { return nanos / int64(time.Second) }
