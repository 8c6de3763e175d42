package handoff

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// Provisioned is an account written in the settings file, with the bcrypt
// hash of its password rather than the password.
type Provisioned struct {
	ID            string
	Name          string
	Role          Role
	Groups        []string
	MaxConcurrent int
	PasswordHash  string
}

// Provision creates an account from the settings when the store does not
// have it yet, and reports whether it did. An account already in the
// store is left as it is: from its first start on, the store is where
// accounts are kept and changed. A hash that is not bcrypt is an error.
func (a *Accounts) Provision(ctx context.Context, p Provisioned) (bool, error) {
	if _, err := bcrypt.Cost([]byte(p.PasswordHash)); err != nil {
		return false, fmt.Errorf("account %s: password_hash is not a bcrypt hash: %w", p.ID, ErrInvalid)
	}
	now := a.now()
	acc := Account{ID: p.ID, Name: p.Name, Role: p.Role, Groups: p.Groups,
		MaxConcurrent: p.MaxConcurrent, PasswordHash: []byte(p.PasswordHash), CreatedAt: now, UpdatedAt: now}
	if err := acc.validate(); err != nil {
		return false, fmt.Errorf("account %s: %w", p.ID, err)
	}
	err := a.store.CreateAccount(ctx, acc.clone())
	if errors.Is(err, ErrExists) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("create account %s: %w", p.ID, err)
	}
	a.log.Info("account created from the settings", "account", p.ID, "role", string(p.Role))
	a.record(ctx, "", ActionAccountCreate, "account "+p.ID)
	return true, nil
}
