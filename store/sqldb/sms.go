package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hotline/channels/sms"
)

var _ sms.Store = (*SMS)(nil)

// SMS keeps the SMS channels' opt-outs, handled keywords and sent
// messages on SQLite or PostgreSQL. It is safe for concurrent use.
type SMS struct {
	db *DB
}

// NewSMS returns the SMS store of db.
func NewSMS(db *DB) *SMS { return &SMS{db: db} }

const (
	sqlInsertKeyword = `INSERT INTO sms_keywords (channel, provider_key, keyword, at)
		VALUES (?, ?, ?, ?) ON CONFLICT (channel, provider_key) DO NOTHING`
	sqlUpsertOptOut = `INSERT INTO sms_optouts (phone, opted_out, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (phone) DO UPDATE SET opted_out = excluded.opted_out, updated_at = excluded.updated_at`
)

// Keyword records a keyword message once and, for an opt-out or opt-in,
// the number's new setting in the same commit.
func (s *SMS) Keyword(ctx context.Context, channel, key, phone string, kw sms.Keyword, at time.Time) (bool, error) {
	var first bool
	err := s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.Rebind(sqlInsertKeyword), channel, key, kw.String(), nanos(at))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			first = false
			return err
		}
		first = true
		if kw != sms.OptOut && kw != sms.OptIn {
			return nil
		}
		out := int64(0)
		if kw == sms.OptOut {
			out = 1
		}
		_, err = tx.ExecContext(ctx, s.db.Rebind(sqlUpsertOptOut), phone, out, nanos(at))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("record sms keyword: %w", err)
	}
	return first, nil
}

// OptedOut reports whether a number has opted out.
func (s *SMS) OptedOut(ctx context.Context, phone string) (bool, error) {
	var out int64
	err := s.db.Reader().QueryRowContext(ctx, s.db.Rebind(
		`SELECT opted_out FROM sms_optouts WHERE phone = ?`), phone).Scan(&out)
	switch {
	case err == sql.ErrNoRows:
		return false, nil
	case err != nil:
		return false, fmt.Errorf("read sms opt-out: %w", err)
	}
	return out == 1, nil
}

// RecordSends remembers sent messages' provider ids, as sent, or ties
// earlier reports of them to their messages, in one commit.
func (s *SMS) RecordSends(ctx context.Context, channel string, sent []sms.Sent) error {
	err := s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, x := range sent {
			if _, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO sms_sends
				(channel, provider_id, message_id, status, status_rank, updated_at) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (channel, provider_id) DO UPDATE SET message_id = excluded.message_id`),
				channel, x.ProviderID, x.MessageID, string(sms.StatusSent), sms.StatusSent.Rank(), nanos(x.At)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record sms sends: %w", err)
	}
	return nil
}

// Advance applies a report when it ranks above the message's status.
// A report for an id not yet recorded is kept, so RecordSends finds it.
func (s *SMS) Advance(ctx context.Context, channel string, r sms.Report, at time.Time) (bool, error) {
	var moved bool
	err := s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		// A report can come before the send is recorded; its row waits
		// for the message id then.
		res, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO sms_sends
			(channel, provider_id, message_id, status, status_rank, code, updated_at)
			VALUES (?, ?, '', ?, ?, ?, ?)
			ON CONFLICT (channel, provider_id) DO UPDATE
			SET status = excluded.status, status_rank = excluded.status_rank,
				code = excluded.code, updated_at = excluded.updated_at
			WHERE sms_sends.status_rank < excluded.status_rank`),
			channel, r.ID, string(r.Status), r.Status.Rank(), r.Code, nanos(at))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		moved = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("apply sms report: %w", err)
	}
	return moved, nil
}

// SendStatus returns the delivery status of a sent message by its
// transcript id, and false when no send of it is recorded.
func (s *SMS) SendStatus(ctx context.Context, messageID string) (sms.Status, string, bool, error) {
	var status, code string
	err := s.db.Reader().QueryRowContext(ctx, s.db.Rebind(`SELECT status, code FROM sms_sends
		WHERE message_id = ? ORDER BY status_rank DESC LIMIT 1`), messageID).Scan(&status, &code)
	switch {
	case err == sql.ErrNoRows:
		return "", "", false, nil
	case err != nil:
		return "", "", false, fmt.Errorf("read sms send: %w", err)
	}
	return sms.Status(status), code, true, nil
}
