package reportdb

import (
	"context"
	"fmt"
	"time"

	"hotline/reports"
)

// OpenConversations counts, per channel, the conversations not closed
// that were active at or after since. It reads the recent open ones by
// the partial index on active_at and counts them here: grouped in SQL,
// SQLite would rather walk the (channel, address) index through every
// conversation ever had.
func (s *Store) OpenConversations(ctx context.Context, since time.Time) (map[string]int, error) {
	rows, err := s.query(ctx, `SELECT channel FROM conversations
		WHERE active_at >= ? AND state <> 'closed'`, since.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("count open conversations: %w", err)
	}
	defer rows.Close()

	out := map[string]int{}
	for rows.Next() {
		var channel string
		if err := rows.Scan(&channel); err != nil {
			return nil, fmt.Errorf("count open conversations: %w", err)
		}
		out[channel]++
	}
	return out, rows.Err()
}

// TicketRisks counts the open tickets at risk of missing a deadline and
// past one, per ticket kind. The condition repeats the partial index's
// word for word, so PostgreSQL uses it.
func (s *Store) TicketRisks(ctx context.Context) (map[string]reports.Risk, error) {
	rows, err := s.query(ctx, `SELECT kind, risk, COUNT(*) FROM tickets
		WHERE risk <> '' AND status NOT IN ('resolved', 'closed', 'cancelled')
		GROUP BY kind, risk`)
	if err != nil {
		return nil, fmt.Errorf("count tickets at risk: %w", err)
	}
	defer rows.Close()

	out := map[string]reports.Risk{}
	for rows.Next() {
		var kind, risk string
		var n int
		if err := rows.Scan(&kind, &risk, &n); err != nil {
			return nil, fmt.Errorf("count tickets at risk: %w", err)
		}
		r := out[kind]
		if risk == "breached" {
			r.Breached += n
		} else {
			r.AtRisk += n
		}
		out[kind] = r
	}
	return out, rows.Err()
}
