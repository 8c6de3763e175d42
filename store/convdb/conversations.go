package convdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"hotline/dialog"
	"hotline/store/sqldb"
)

var _ dialog.Store = (*Store)(nil)

const convColumns = `id, channel, address, subscriber_id, state, lang, misses, slots,
	last_seq, version, created_at, active_at`

// FindConversation returns the conversation of a channel address, or
// dialog.ErrNotFound.
func (s *Store) FindConversation(ctx context.Context, channel, address string) (dialog.Conversation, error) {
	row := s.queryRow(ctx,
		"SELECT "+convColumns+" FROM conversations WHERE channel = ? AND address = ?",
		channel, address)
	return scanConversation(row)
}

// Conversation returns a conversation by id, or dialog.ErrNotFound.
func (s *Store) Conversation(ctx context.Context, id string) (dialog.Conversation, error) {
	row := s.queryRow(ctx, "SELECT "+convColumns+" FROM conversations WHERE id = ?", id)
	return scanConversation(row)
}

// IdleConversations returns conversations that are not closed and have
// been inactive since before the given time, longest idle first.
func (s *Store) IdleConversations(ctx context.Context, before time.Time, limit int) ([]dialog.Conversation, error) {
	rows, err := s.query(ctx, "SELECT "+convColumns+` FROM conversations
		WHERE state <> 'closed' AND active_at < ? ORDER BY active_at LIMIT ?`,
		before.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("idle conversations: %w", err)
	}
	return collect(rows, func(r *sql.Rows) (dialog.Conversation, error) { return scanConversation(r) })
}

type scanner interface{ Scan(dest ...any) error }

func scanConversation(row scanner) (dialog.Conversation, error) {
	var c dialog.Conversation
	var slots string
	var created, active int64
	err := row.Scan(&c.ID, &c.Channel, &c.Address, &c.SubscriberID, &c.State, &c.Lang,
		&c.Misses, &slots, &c.LastSeq, &c.Version, &created, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return c, dialog.ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("read conversation: %w", err)
	}

	if slots != "" && slots != "{}" {
		if err := json.Unmarshal([]byte(slots), &c.Slots); err != nil {
			return c, fmt.Errorf("read conversation %s slots: %w", c.ID, err)
		}
	}
	c.CreatedAt = time.UnixMilli(created).UTC()
	c.ActiveAt = time.UnixMilli(active).UTC()
	return c, nil
}

// Commit stores a conversation's change atomically: the record (checked
// against its version), its new transcript messages, its unanswered
// questions and what it adds to the open visit. It returns
// dialog.ErrConflict when the record changed since it was read or a
// message's provider id is already stored. On PostgreSQL, concurrent
// changes are committed together in one statement (commitBatcher).
func (s *Store) Commit(ctx context.Context, c dialog.Change) error {
	if s.batch != nil {
		return s.batch.commit(ctx, c)
	}
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := s.saveConversation(ctx, tx, c.Conversation); err != nil {
			return err
		}
		for _, m := range c.Messages {
			if err := s.insertMessage(ctx, tx, m); err != nil {
				return err
			}
		}
		for _, u := range c.Unanswered {
			if err := s.insertUnanswered(ctx, tx, u); err != nil {
				return err
			}
		}
		if c.Visit != nil {
			return s.saveVisit(ctx, tx, *c.Visit)
		}
		return nil
	})
}

func (s *Store) saveConversation(ctx context.Context, tx *sql.Tx, c dialog.Conversation) error {
	slots, err := json.Marshal(c.Slots)
	if err != nil {
		return fmt.Errorf("encode slots: %w", err)
	}
	if c.Slots == nil {
		slots = []byte("{}")
	}

	if c.Version == 0 {
		_, err := s.exec(ctx, tx, sqlInsertConversation,
			c.ID, c.Channel, c.Address, c.SubscriberID, c.State, c.Lang, c.Misses, string(slots),
			c.LastSeq, c.CreatedAt.UnixMilli(), c.ActiveAt.UnixMilli())
		return conflictOr(err, "insert conversation")
	}

	res, err := s.exec(ctx, tx, sqlUpdateConversation,
		c.SubscriberID, c.State, c.Lang, c.Misses, string(slots), c.LastSeq,
		c.ActiveAt.UnixMilli(), c.ID, c.Version)
	if err != nil {
		return fmt.Errorf("update conversation: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update conversation %s: %w", c.ID, dialog.ErrConflict)
	}
	return nil
}

// conflictOr maps a unique-constraint failure to dialog.ErrConflict.
func conflictOr(err error, what string) error {
	if err == nil {
		return nil
	}
	if sqldb.IsUniqueViolation(err) {
		return fmt.Errorf("%s: %w", what, dialog.ErrConflict)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func (s *Store) insertUnanswered(ctx context.Context, tx *sql.Tx, u dialog.Unanswered) error {
	suggested := 0 // a BIGINT in both dialects
	if u.Suggested {
		suggested = 1
	}
	_, err := s.exec(ctx, tx, sqlInsertUnanswered,
		u.ConversationID, u.MessageID, u.Text, u.BestEntry, u.BestScore, suggested,
		u.At.UnixMilli())
	if err != nil {
		return fmt.Errorf("insert unanswered: %w", err)
	}
	return nil
}
