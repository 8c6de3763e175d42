package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hotline/handoff"
)

const sessionColumns = "token_hash, account_id, created_at, idle_until, expires_at"

// CreateSession stores a new session.
func (s *AgentAccounts) CreateSession(ctx context.Context, sess handoff.Session) error {
	return s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.db.Rebind("INSERT INTO agent_sessions ("+sessionColumns+
			") VALUES (?, ?, ?, ?, ?)"), sess.TokenHash, sess.AccountID, nanos(sess.CreatedAt),
			nanos(sess.IdleUntil), nanos(sess.ExpiresAt))
		if err != nil {
			return fmt.Errorf("insert session of %s: %w", sess.AccountID, err)
		}
		return nil
	})
}

// Session returns the session with the token hash, or
// handoff.ErrNotFound.
func (s *AgentAccounts) Session(ctx context.Context, tokenHash string) (handoff.Session, error) {
	var sess handoff.Session
	err := s.db.Reader().QueryRowContext(ctx, s.db.Rebind(
		"SELECT "+sessionColumns+" FROM agent_sessions WHERE token_hash = ?"), tokenHash).
		Scan(&sess.TokenHash, &sess.AccountID, timeScan{&sess.CreatedAt, time.UTC},
			timeScan{&sess.IdleUntil, time.UTC}, timeScan{&sess.ExpiresAt, time.UTC})
	if errors.Is(err, sql.ErrNoRows) {
		return handoff.Session{}, fmt.Errorf("session: %w", handoff.ErrNotFound)
	}
	if err != nil {
		return handoff.Session{}, fmt.Errorf("read session: %w", err)
	}
	return sess, nil
}

// TouchSession moves a session's idle expiry, or returns
// handoff.ErrNotFound when it is gone.
func (s *AgentAccounts) TouchSession(ctx context.Context, tokenHash string,
	idleUntil time.Time) error {
	n, err := s.exec(ctx, "UPDATE agent_sessions SET idle_until = ? WHERE token_hash = ?",
		nanos(idleUntil), tokenHash)
	if err != nil {
		return fmt.Errorf("refresh session: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("refresh session: %w", handoff.ErrNotFound)
	}
	return nil
}

// DeleteSession removes a session; a missing one is no error.
func (s *AgentAccounts) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.exec(ctx, "DELETE FROM agent_sessions WHERE token_hash = ?", tokenHash)
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteSessions removes every session of an account and counts them.
func (s *AgentAccounts) DeleteSessions(ctx context.Context, accountID string) (int, error) {
	n, err := s.exec(ctx, "DELETE FROM agent_sessions WHERE account_id = ?", accountID)
	if err != nil {
		return 0, fmt.Errorf("delete sessions of %s: %w", accountID, err)
	}
	return n, nil
}

// DeleteExpiredSessions removes the sessions whose idle expiry, never
// later than their absolute one, is at or before now, and counts them.
func (s *AgentAccounts) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	n, err := s.exec(ctx, "DELETE FROM agent_sessions WHERE idle_until <= ?", nanos(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return n, nil
}

// exec runs one statement in a write and returns how many rows it
// changed.
func (s *AgentAccounts) exec(ctx context.Context, query string, args ...any) (int, error) {
	var n int64
	err := s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.Rebind(query), args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
