package handoff

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// SessionConfig holds how long a session lasts.
type SessionConfig struct {
	// Idle is how long a session lasts without use; zero means 30
	// minutes.
	Idle time.Duration
	// Lifetime is how long a session lasts however much it is used;
	// zero means 12 hours. It must not be shorter than Idle.
	Lifetime time.Duration
}

// Default session limits.
const (
	defaultIdle     = 30 * time.Minute
	defaultLifetime = 12 * time.Hour
)

// validate fills defaults and says which limit is wrong.
func (c *SessionConfig) validate() error {
	if c.Idle == 0 {
		c.Idle = defaultIdle
	}
	if c.Lifetime == 0 {
		c.Lifetime = defaultLifetime
	}
	switch {
	case c.Idle < 0:
		return fmt.Errorf("session idle timeout %v: want more than zero", c.Idle)
	case c.Lifetime < c.Idle:
		return fmt.Errorf("session lifetime %v: want at least the idle timeout %v", c.Lifetime, c.Idle)
	}
	return nil
}

// Sessions signs agents in and out of the console. A session is known by
// a random token the console keeps; the store keeps only its SHA-256
// hash, so a copy of the store gives no way in. It is safe for
// concurrent use.
type Sessions struct {
	accounts *Accounts
	cfg      SessionConfig
}

// NewSessions builds the session service on the accounts, using their
// store, clock, logger and audit log. It returns an error naming the
// limit that is out of range.
func NewSessions(a *Accounts, c SessionConfig) (*Sessions, error) {
	if a == nil {
		return nil, errors.New("sessions need accounts")
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("session config: %w", err)
	}
	return &Sessions{accounts: a, cfg: c}, nil
}

// SignIn checks the name and password and starts a session. It returns
// ErrBadCredentials when they do not match an enabled account (see
// Accounts.Authenticate), or a store's error.
func (s *Sessions) SignIn(ctx context.Context, name, password string) (Token, error) {
	a := s.accounts
	acc, err := a.Authenticate(ctx, name, password)
	if err != nil {
		if errors.Is(err, ErrBadCredentials) {
			a.record(ctx, knownActor(ctx, a, name), ActionSignInFailed, "")
		}
		return "", err
	}

	tok, now := newToken(), a.now()
	sess := Session{TokenHash: tok.hash(), AccountID: acc.ID, CreatedAt: now,
		IdleUntil: now.Add(s.cfg.Idle), ExpiresAt: now.Add(s.cfg.Lifetime)}
	if err := a.store.CreateSession(ctx, sess); err != nil {
		return "", fmt.Errorf("start session of %s: %w", acc.ID, err)
	}
	a.log.Info("signed in", "account", acc.ID)
	a.record(ctx, acc.ID, ActionSignIn, "")
	return tok, nil
}

// knownActor returns the name for the audit log when an account has it,
// and empty otherwise: an unknown name may be a mistyped password.
func knownActor(ctx context.Context, a *Accounts, name string) string {
	if _, err := a.lookup(ctx, name); err != nil {
		return ""
	}
	return name
}

// Check returns the account the token signs in and moves the session's
// idle expiry on. It returns ErrNoSession when the token is unknown, the
// session has expired (it is removed then), or the account is gone or
// disabled; other errors come from the store.
func (s *Sessions) Check(ctx context.Context, tok Token) (Account, error) {
	a, now := s.accounts, s.accounts.now()
	sess, err := a.store.Session(ctx, tok.hash())
	if errors.Is(err, ErrNotFound) {
		return Account{}, fmt.Errorf("unknown token: %w", ErrNoSession)
	}
	if err != nil {
		return Account{}, fmt.Errorf("check session: %w", err)
	}
	if sess.expired(now) {
		return Account{}, s.end(ctx, sess, "expired")
	}
	acc, err := a.store.Account(ctx, sess.AccountID)
	if errors.Is(err, ErrNotFound) || err == nil && acc.Disabled {
		return Account{}, s.end(ctx, sess, "account gone or disabled")
	}
	if err != nil {
		return Account{}, fmt.Errorf("check session of %s: %w", sess.AccountID, err)
	}
	return acc.public(), s.touch(ctx, sess, now)
}

// touchStep is the least move of a session's idle expiry worth a write:
// a console that checks its session often would otherwise write on every
// check. A session may so end up to this much earlier than the idle
// timeout says.
const touchStep = time.Minute

// touch moves the session's idle expiry to now plus the idle timeout,
// never past its absolute expiry; it skips the write when the expiry
// would move by less than touchStep.
func (s *Sessions) touch(ctx context.Context, sess Session, now time.Time) error {
	idle := now.Add(s.cfg.Idle)
	if idle.After(sess.ExpiresAt) {
		idle = sess.ExpiresAt
	}
	if idle.Sub(sess.IdleUntil) < touchStep {
		return nil
	}
	err := s.accounts.store.TouchSession(ctx, sess.TokenHash, idle)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("session of %s signed out meanwhile: %w", sess.AccountID, ErrNoSession)
	}
	if err != nil {
		return fmt.Errorf("refresh session of %s: %w", sess.AccountID, err)
	}
	return nil
}

// end removes a session that may no longer be used and returns
// ErrNoSession saying why.
func (s *Sessions) end(ctx context.Context, sess Session, why string) error {
	if err := s.accounts.store.DeleteSession(ctx, sess.TokenHash); err != nil {
		return fmt.Errorf("end session of %s: %w", sess.AccountID, err)
	}
	s.accounts.log.Debug("session ended", "account", sess.AccountID, "reason", why)
	return fmt.Errorf("session of %s %s: %w", sess.AccountID, why, ErrNoSession)
}

// SignOut ends the token's session. Signing out a token that names no
// session is no error.
func (s *Sessions) SignOut(ctx context.Context, tok Token) error {
	a := s.accounts
	sess, err := a.store.Session(ctx, tok.hash())
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	if err := a.store.DeleteSession(ctx, sess.TokenHash); err != nil {
		return fmt.Errorf("sign out %s: %w", sess.AccountID, err)
	}
	a.log.Info("signed out", "account", sess.AccountID)
	a.record(ctx, sess.AccountID, ActionSignOut, "")
	return nil
}

// SignOutAll ends every session of the account. Accounts does it itself
// when an account is disabled or its password changes.
func (s *Sessions) SignOutAll(ctx context.Context, accountID string) error {
	if err := s.accounts.signOutAll(ctx, accountID, "signed out everywhere"); err != nil {
		return err
	}
	s.accounts.record(ctx, accountID, ActionSignOut, "all sessions")
	return nil
}

// Purge removes the sessions that have expired and returns how many. The
// caller runs it now and then; Check refuses expired sessions anyway.
func (s *Sessions) Purge(ctx context.Context) (int, error) {
	n, err := s.accounts.store.DeleteExpiredSessions(ctx, s.accounts.now())
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	return n, nil
}
