package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hotline/channels/sms"
)

var _ sms.BindStore = (*Subscribers)(nil)

// Subscribers keeps the phone numbers subscribers bound on SQLite or
// PostgreSQL. It is safe for concurrent use.
type Subscribers struct {
	db *DB
}

// NewSubscribers returns the subscriber store of db.
func NewSubscribers(db *DB) *Subscribers { return &Subscribers{db: db} }

// Bind records the subscriber's number and, in the same commit, gives the
// channel address's tickets without a subscriber to it, so they follow
// the number from now on.
func (s *Subscribers) Bind(ctx context.Context, subscriberID, phone, channel, address string, at time.Time) error {
	err := s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.db.Rebind(`INSERT INTO subscribers (id, phone, bound_at)
			VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET bound_at = excluded.bound_at`),
			subscriberID, phone, nanos(at)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.db.Rebind(`UPDATE tickets SET owner_subscriber_id = ?
			WHERE owner_channel = ? AND owner_address = ? AND owner_subscriber_id = ''`),
			subscriberID, channel, address)
		return err
	})
	if err != nil {
		return fmt.Errorf("bind subscriber: %w", err)
	}
	return nil
}

// PhoneOf returns the number a subscriber bound.
func (s *Subscribers) PhoneOf(ctx context.Context, subscriberID string) (string, bool, error) {
	var phone string
	err := s.db.Reader().QueryRowContext(ctx, s.db.Rebind(
		`SELECT phone FROM subscribers WHERE id = ?`), subscriberID).Scan(&phone)
	switch {
	case err == sql.ErrNoRows:
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("read subscriber: %w", err)
	}
	return phone, true, nil
}
