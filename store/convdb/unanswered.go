package convdb

import (
	"context"
	"fmt"
	"math"
	"time"

	"hotline/dialog"
)

// UnansweredSince returns up to limit questions the bot could not answer
// confidently, asked at or after since, newest first.
func (s *Store) UnansweredSince(ctx context.Context, since time.Time, limit int) ([]dialog.Unanswered, error) {
	return s.UnansweredBetween(ctx, since, time.UnixMilli(math.MaxInt64), limit)
}

// UnansweredBetween returns up to limit questions the bot could not
// answer confidently, asked at or after from and before to, newest first.
func (s *Store) UnansweredBetween(ctx context.Context, from, to time.Time, limit int) ([]dialog.Unanswered, error) {
	rows, err := s.query(ctx, `SELECT conversation_id, message_id, text, best_entry,
		best_score, suggested, at FROM unanswered WHERE at >= ? AND at < ?
		ORDER BY at DESC, id DESC LIMIT ?`,
		from.UnixMilli(), to.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("unanswered: %w", err)
	}
	defer rows.Close()

	var out []dialog.Unanswered
	for rows.Next() {
		var u dialog.Unanswered
		var at, suggested int64
		if err := rows.Scan(&u.ConversationID, &u.MessageID, &u.Text, &u.BestEntry,
			&u.BestScore, &suggested, &at); err != nil {
			return nil, fmt.Errorf("unanswered: %w", err)
		}
		u.Suggested = suggested != 0
		u.At = time.UnixMilli(at).UTC()
		out = append(out, u)
	}
	return out, rows.Err()
}
