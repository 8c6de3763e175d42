package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"hotline/handoff"
)

var _ handoff.AccountStore = (*AgentAccounts)(nil)

// AgentAccounts is the desk's account and session store on SQLite or
// PostgreSQL. Sessions are kept by the hash of their token only. It is
// safe for concurrent use.
type AgentAccounts struct {
	db *DB
}

// NewAgentAccounts returns the account store of db.
func NewAgentAccounts(db *DB) *AgentAccounts {
	return &AgentAccounts{db: db}
}

const accountColumns = `id, name, role, skill_groups, max_concurrent, password_hash, disabled,
	created_at, updated_at, version`

const (
	sqlInsertAccount = "INSERT INTO agent_accounts (" + accountColumns + `)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`
	sqlUpdateAccount = `UPDATE agent_accounts SET name = ?, role = ?, skill_groups = ?,
		max_concurrent = ?, password_hash = ?, disabled = ?, updated_at = ?,
		version = version + 1
		WHERE id = ? AND version = ?`
)

// CreateAccount stores a new account at version 1, or returns
// handoff.ErrExists when its id is taken.
func (s *AgentAccounts) CreateAccount(ctx context.Context, a handoff.Account) error {
	groups, err := encodeGroups(a.Groups)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.db.Rebind(sqlInsertAccount), a.ID, a.Name, string(a.Role),
			groups, a.MaxConcurrent, string(a.PasswordHash), openFlag(a.Disabled),
			nanos(a.CreatedAt), nanos(a.UpdatedAt))
		if IsUniqueViolation(err) {
			return fmt.Errorf("insert account %s: %w", a.ID, handoff.ErrExists)
		}
		if err != nil {
			return fmt.Errorf("insert account %s: %w", a.ID, err)
		}
		return nil
	})
}

// Account returns an account, or handoff.ErrNotFound.
func (s *AgentAccounts) Account(ctx context.Context, id string) (handoff.Account, error) {
	row := s.db.Reader().QueryRowContext(ctx,
		s.db.Rebind("SELECT "+accountColumns+" FROM agent_accounts WHERE id = ?"), id)
	a, err := scanAccount(row)
	if errors.Is(err, sql.ErrNoRows) {
		return handoff.Account{}, fmt.Errorf("account %s: %w", id, handoff.ErrNotFound)
	}
	if err != nil {
		return handoff.Account{}, fmt.Errorf("read account %s: %w", id, err)
	}
	return a, nil
}

// Accounts returns all accounts ordered by id.
func (s *AgentAccounts) Accounts(ctx context.Context) ([]handoff.Account, error) {
	rows, err := s.db.Reader().QueryContext(ctx,
		"SELECT "+accountColumns+" FROM agent_accounts ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()

	var out []handoff.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("list accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// UpdateAccount replaces an account read at a.Version, or returns
// handoff.ErrConflict when it is at another version or gone.
func (s *AgentAccounts) UpdateAccount(ctx context.Context, a handoff.Account) error {
	groups, err := encodeGroups(a.Groups)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.Rebind(sqlUpdateAccount), a.Name, string(a.Role),
			groups, a.MaxConcurrent, string(a.PasswordHash), openFlag(a.Disabled),
			nanos(a.UpdatedAt), a.ID, a.Version)
		if err != nil {
			return fmt.Errorf("update account %s: %w", a.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fmt.Errorf("update account %s at version %d: %w", a.ID, a.Version, handoff.ErrConflict)
		}
		return nil
	})
}

// HasSupervisor reports whether any account is a supervisor.
func (s *AgentAccounts) HasSupervisor(ctx context.Context) (bool, error) {
	var n int
	err := s.db.Reader().QueryRowContext(ctx, s.db.Rebind(
		"SELECT COUNT(*) FROM (SELECT 1 FROM agent_accounts WHERE role = ? LIMIT 1) s"),
		string(handoff.RoleSupervisor)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look for a supervisor: %w", err)
	}
	return n > 0, nil
}

// scanAccount reads one row of accountColumns.
func scanAccount(row rowScanner) (handoff.Account, error) {
	var a handoff.Account
	var role, groups, hash string
	var disabled int64
	err := row.Scan(&a.ID, &a.Name, &role, &groups, &a.MaxConcurrent, &hash, &disabled,
		timeScan{&a.CreatedAt, time.UTC}, timeScan{&a.UpdatedAt, time.UTC}, &a.Version)
	if err != nil {
		return handoff.Account{}, err
	}
	a.Role, a.PasswordHash, a.Disabled = handoff.Role(role), []byte(hash), disabled == 1
	if err := json.Unmarshal([]byte(groups), &a.Groups); err != nil {
		return handoff.Account{}, fmt.Errorf("account %s skill groups: %w", a.ID, err)
	}
	return a, nil
}

// encodeGroups stores skill groups as a JSON array.
func encodeGroups(groups []string) (string, error) {
	if len(groups) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(groups)
	if err != nil {
		return "", fmt.Errorf("encode skill groups: %w", err)
	}
	return string(b), nil
}
