package handoff

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// MemAccountStore is an AccountStore in memory, for tests and for a
// gateway that runs as one process. It is safe for concurrent use; its
// state is lost when the process ends.
type MemAccountStore struct {
	mu       sync.Mutex
	accounts map[string]Account
	sessions map[string]Session
}

var _ AccountStore = (*MemAccountStore)(nil)

// NewMemAccountStore returns an empty store.
func NewMemAccountStore() *MemAccountStore {
	return &MemAccountStore{accounts: map[string]Account{}, sessions: map[string]Session{}}
}

// CreateAccount stores a new account at version 1, or returns ErrExists.
func (m *MemAccountStore) CreateAccount(_ context.Context, a Account) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.accounts[a.ID]; ok {
		return fmt.Errorf("account %s: %w", a.ID, ErrExists)
	}
	a = a.clone()
	a.Version = 1
	m.accounts[a.ID] = a
	return nil
}

// Account returns an account, or ErrNotFound.
func (m *MemAccountStore) Account(_ context.Context, id string) (Account, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.accounts[id]
	if !ok {
		return Account{}, fmt.Errorf("account %s: %w", id, ErrNotFound)
	}
	return a.clone(), nil
}

// Accounts returns all accounts ordered by id.
func (m *MemAccountStore) Accounts(_ context.Context) ([]Account, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Account, 0, len(m.accounts))
	for _, a := range m.accounts {
		out = append(out, a.clone())
	}
	slices.SortFunc(out, func(a, b Account) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// UpdateAccount replaces an account read at a.Version, or returns
// ErrConflict.
func (m *MemAccountStore) UpdateAccount(_ context.Context, a Account) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.accounts[a.ID]
	if !ok || old.Version != a.Version {
		return fmt.Errorf("account %s at version %d: %w", a.ID, a.Version, ErrConflict)
	}
	a = a.clone()
	a.Version++
	m.accounts[a.ID] = a
	return nil
}

// HasSupervisor reports whether any account is a supervisor.
func (m *MemAccountStore) HasSupervisor(_ context.Context) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, a := range m.accounts {
		if a.Role == RoleSupervisor {
			return true, nil
		}
	}
	return false, nil
}

// CreateSession stores a new session.
func (m *MemAccountStore) CreateSession(_ context.Context, s Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[s.TokenHash]; ok {
		return fmt.Errorf("session of %s: %w", s.AccountID, ErrExists)
	}
	m.sessions[s.TokenHash] = s
	return nil
}

// Session returns the session with the token hash, or ErrNotFound.
func (m *MemAccountStore) Session(_ context.Context, tokenHash string) (Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[tokenHash]
	if !ok {
		return Session{}, fmt.Errorf("session: %w", ErrNotFound)
	}
	return s, nil
}

// TouchSession moves a session's idle expiry, or returns ErrNotFound.
func (m *MemAccountStore) TouchSession(_ context.Context, tokenHash string,
	idleUntil time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[tokenHash]
	if !ok {
		return fmt.Errorf("session: %w", ErrNotFound)
	}
	s.IdleUntil = idleUntil
	m.sessions[tokenHash] = s
	return nil
}

// DeleteSession removes a session.
func (m *MemAccountStore) DeleteSession(_ context.Context, tokenHash string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, tokenHash)
	return nil
}

// DeleteSessions removes every session of an account.
func (m *MemAccountStore) DeleteSessions(_ context.Context, accountID string) (int, error) {
	return m.deleteWhere(func(s Session) bool { return s.AccountID == accountID }), nil
}

// DeleteExpiredSessions removes the sessions idle or expired at now.
func (m *MemAccountStore) DeleteExpiredSessions(_ context.Context, now time.Time) (int, error) {
	return m.deleteWhere(func(s Session) bool { return s.expired(now) }), nil
}

// deleteWhere removes the sessions gone says to and counts them.
func (m *MemAccountStore) deleteWhere(gone func(Session) bool) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for h, s := range m.sessions {
		if gone(s) {
			delete(m.sessions, h)
			n++
		}
	}
	return n
}

// SessionHashes returns the token hashes of the stored sessions, sorted,
// so tests can look at what the store keeps.
func (m *MemAccountStore) SessionHashes() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.sessions))
	for h := range m.sessions {
		out = append(out, h)
	}
	slices.Sort(out)
	return out
}
