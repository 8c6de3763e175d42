package convdb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hotline/dialog"
)

// saveVisit adds a turn's change to its visit's record.
func (s *Store) saveVisit(ctx context.Context, tx *sql.Tx, v dialog.VisitChange) error {
	_, err := s.exec(ctx, tx, sqlSaveVisit,
		v.ID, v.ConversationID, v.Channel, v.StartedAt.UnixMilli(), v.Answered, v.Unanswered,
		v.Tickets, millisOrZero(v.HandoffAt), v.AgentID, millisOrZero(v.FirstReplyAt),
		v.Rating, v.RatedAgent, millisOrZero(v.EndedAt))
	if err != nil {
		return fmt.Errorf("save visit: %w", err)
	}
	return nil
}

// millisOrZero is a time as Unix milliseconds, with the zero time as 0.
func millisOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
