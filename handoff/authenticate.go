package handoff

import (
	"context"
	"errors"
	"fmt"
)

// Authenticate returns the account whose name and password these are.
// An unknown name, a wrong password and a disabled account all give
// ErrBadCredentials, and all spend about as long in bcrypt, so neither the
// error nor the time tells which names exist. Other errors come from the
// store.
func (a *Accounts) Authenticate(ctx context.Context, name, password string) (Account, error) {
	acc, err := a.lookup(ctx, name)
	if errors.Is(err, ErrNotFound) {
		// The name is not logged: it may be a password typed in the
		// wrong field.
		passwordMatches(a.dummyHash(), password)
		a.log.Debug("sign-in refused", "reason", "unknown name")
		return Account{}, ErrBadCredentials
	}
	if err != nil {
		return Account{}, fmt.Errorf("authenticate: %w", err)
	}
	if !passwordMatches(acc.PasswordHash, password) {
		a.log.Debug("sign-in refused", "account", acc.ID, "reason", "wrong password")
		return Account{}, ErrBadCredentials
	}
	if acc.Disabled {
		a.log.Debug("sign-in refused", "account", acc.ID, "reason", "disabled")
		return Account{}, ErrBadCredentials
	}
	return acc.public(), nil
}

// lookup returns the account with the name, or ErrNotFound also for a
// name that cannot be a login name.
func (a *Accounts) lookup(ctx context.Context, name string) (Account, error) {
	if validID(name) != nil {
		return Account{}, ErrNotFound
	}
	return a.store.Account(ctx, name)
}
