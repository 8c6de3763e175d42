package convdb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hotline/dialog"
	"hotline/store/sqldb"
)

// PendingDeliveries returns outbound messages still waiting for delivery
// that were created before the given time, oldest first.
func (s *Store) PendingDeliveries(ctx context.Context, before time.Time, limit int) ([]dialog.PendingDelivery, error) {
	rows, err := s.query(ctx, "SELECT "+prefixed("m.", msgColumns)+", "+
		prefixed("c.", convColumns)+`
		FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE m.delivery = 'pending' AND m.created_at < ?
		ORDER BY m.created_at, m.seq LIMIT ?`, before.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("pending deliveries: %w", err)
	}
	return collect(rows, scanPending)
}

// scanPending reads a joined message and conversation row by scanning the
// two halves of the columns in turn.
func scanPending(rows *sql.Rows) (dialog.PendingDelivery, error) {
	cols, err := rows.Columns()
	if err != nil {
		return dialog.PendingDelivery{}, fmt.Errorf("pending deliveries: %w", err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return dialog.PendingDelivery{}, fmt.Errorf("pending deliveries: %w", err)
	}

	nMsg := countColumns(msgColumns)
	m, err := scanMessage(valueScanner(vals[:nMsg]))
	if err != nil {
		return dialog.PendingDelivery{}, err
	}
	c, err := scanConversation(valueScanner(vals[nMsg:]))
	if err != nil {
		return dialog.PendingDelivery{}, err
	}
	return dialog.PendingDelivery{Message: m, Conversation: c}, nil
}

// MarkDeliveries records the outcomes of delivery attempts in one commit.
func (s *Store) MarkDeliveries(ctx context.Context, updates []dialog.DeliveryUpdate) error {
	if len(updates) == 0 {
		return nil
	}
	if s.db.Dialect() == sqldb.Postgres {
		return s.markDeliveriesPG(ctx, updates)
	}
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, u := range updates {
			_, err := s.exec(ctx, tx, sqlMarkDelivery,
				string(u.Status), u.Attempts, u.MessageID)
			if err != nil {
				return fmt.Errorf("mark delivery: %w", err)
			}
		}
		return nil
	})
}

// sqlMarkDeliveriesPG records many outcomes in one statement; the last
// outcome given for a message wins.
const sqlMarkDeliveriesPG = `UPDATE messages m SET delivery = u.delivery, attempts = u.attempts
	FROM (SELECT DISTINCT ON (id) id, delivery, attempts
		FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS x(id, delivery, attempts, n)
		ORDER BY id, n DESC) AS u
	WHERE m.id = u.id`

// markDeliveriesPG is MarkDeliveries on PostgreSQL: one statement for the
// whole list, in a transaction of its own.
func (s *Store) markDeliveriesPG(ctx context.Context, updates []dialog.DeliveryUpdate) error {
	ids := make([]string, len(updates))
	statuses := make([]string, len(updates))
	attempts := make([]int64, len(updates))
	for i, u := range updates {
		ids[i], statuses[i], attempts[i] = u.MessageID, string(u.Status), int64(u.Attempts)
	}
	return s.db.WriteAlone(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, sqlMarkDeliveriesPG, sqldb.PlanEachTime, ids, statuses, attempts); err != nil {
			return fmt.Errorf("mark deliveries: %w", err)
		}
		return nil
	})
}

// DeleteBefore applies retention: it deletes transcript messages and
// unanswered questions older than t, and conversations (with all their
// messages) inactive since before t; with them the agents' notes on those
// conversations and older notes, the SMS send records of the deleted
// messages and older ones, handled SMS keywords and the ticket API's
// stored responses older than t. Visits stay: they hold no personal data
// and make the figures. It returns the messages deleted.
func (s *Store) DeleteBefore(ctx context.Context, t time.Time) (int64, error) {
	var n int64
	ms, ns := t.UnixMilli(), t.UnixNano()
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		n = 0
		steps := []struct {
			query    string
			args     []any
			messages bool // its rows count as messages deleted
		}{
			{`DELETE FROM agent_notes WHERE at < ? OR conversation_id IN
				(SELECT id FROM conversations WHERE active_at < ?)`, []any{ns, ms}, false},
			{`DELETE FROM sms_sends WHERE updated_at < ? OR message_id IN
				(SELECT id FROM messages WHERE created_at < ?)`, []any{ns, ms}, false},
			{`DELETE FROM messages WHERE conversation_id IN
				(SELECT id FROM conversations WHERE active_at < ?)`, []any{ms}, true},
			{`DELETE FROM messages WHERE created_at < ?`, []any{ms}, true},
			{`DELETE FROM conversations WHERE active_at < ?`, []any{ms}, false},
			{`DELETE FROM unanswered WHERE at < ?`, []any{ms}, false},
			{`DELETE FROM sms_keywords WHERE at < ?`, []any{ns}, false},
			{`DELETE FROM idempotency WHERE at < ?`, []any{ns}, false},
		}
		for _, st := range steps {
			res, err := tx.ExecContext(ctx, s.db.Rebind(st.query), st.args...)
			if err != nil {
				return fmt.Errorf("retention: %w", err)
			}
			if st.messages {
				k, _ := res.RowsAffected()
				n += k
			}
		}
		return nil
	})
	return n, err
}
