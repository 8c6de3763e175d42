package handoff

import (
	"context"
	"time"
)

// AccountStore keeps the desk's accounts and their sessions. Every read
// returns copies. Sessions are found by the SHA-256 hash of their token;
// the token itself is never given to a store.
type AccountStore interface {
	// CreateAccount stores a new account at version 1, or returns
	// ErrExists when its id is taken.
	CreateAccount(ctx context.Context, a Account) error
	// Account returns an account, or ErrNotFound.
	Account(ctx context.Context, id string) (Account, error)
	// Accounts returns all accounts ordered by id.
	Accounts(ctx context.Context) ([]Account, error)
	// UpdateAccount replaces an account read at a.Version and stores it
	// one version higher. It returns ErrConflict, changing nothing, when
	// the account is at another version or is gone.
	UpdateAccount(ctx context.Context, a Account) error
	// HasSupervisor reports whether any account, disabled or not, is a
	// supervisor.
	HasSupervisor(ctx context.Context) (bool, error)

	// CreateSession stores a new session.
	CreateSession(ctx context.Context, s Session) error
	// Session returns the session with the token hash, or ErrNotFound.
	Session(ctx context.Context, tokenHash string) (Session, error)
	// TouchSession moves a session's idle expiry to idleUntil, or
	// returns ErrNotFound when the session is gone.
	TouchSession(ctx context.Context, tokenHash string, idleUntil time.Time) error
	// DeleteSession removes a session; removing a missing one is no
	// error.
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteSessions removes every session of an account and returns how
	// many there were.
	DeleteSessions(ctx context.Context, accountID string) (int, error)
	// DeleteExpiredSessions removes the sessions whose idle expiry is at
	// or before now and returns how many there were.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}

// Session is a signed-in console as a store keeps it.
type Session struct {
	// TokenHash is the hex SHA-256 of the session token.
	TokenHash string
	// AccountID is whose session it is.
	AccountID string
	// CreatedAt is when the agent signed in.
	CreatedAt time.Time
	// IdleUntil is when the session ends unless it is used before; it is
	// never after ExpiresAt.
	IdleUntil time.Time
	// ExpiresAt is when the session ends however much it is used.
	ExpiresAt time.Time
}

// expired reports whether the session has ended at now.
func (s Session) expired(now time.Time) bool {
	return !now.Before(s.IdleUntil) || !now.Before(s.ExpiresAt)
}
