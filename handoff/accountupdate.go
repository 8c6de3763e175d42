package handoff

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// AccountUpdate lists the fields to change; nil fields stay as they are.
type AccountUpdate struct {
	Name          *string
	Role          *Role
	Groups        *[]string
	MaxConcurrent *int
	Disabled      *bool
}

// apply returns acc with the update's fields and the names of those that
// changed.
func (u AccountUpdate) apply(acc Account) (Account, []string) {
	var changed []string
	if u.Name != nil && *u.Name != acc.Name {
		acc.Name, changed = *u.Name, append(changed, "name")
	}
	if u.Role != nil && *u.Role != acc.Role {
		acc.Role, changed = *u.Role, append(changed, "role")
	}
	if u.Groups != nil && !slices.Equal(*u.Groups, acc.Groups) {
		acc.Groups, changed = slices.Clone(*u.Groups), append(changed, "groups")
	}
	if u.MaxConcurrent != nil && *u.MaxConcurrent != acc.MaxConcurrent {
		acc.MaxConcurrent, changed = *u.MaxConcurrent, append(changed, "capacity")
	}
	if u.Disabled != nil && *u.Disabled != acc.Disabled {
		acc.Disabled, changed = *u.Disabled, append(changed, "disabled")
	}
	return acc, changed
}

// Update changes an account's display name, role, groups, capacity or
// disabled flag. Disabling an account signs it out everywhere. It returns
// ErrNotFound, ErrInvalid naming the bad field, or ErrConflict when the
// account kept changing under it. The actor is who asked, for the audit
// log.
func (a *Accounts) Update(ctx context.Context, actor, id string, u AccountUpdate) (Account, error) {
	var acc Account
	var changed []string
	err := retry(func() error {
		var err error
		acc, changed, err = a.update(ctx, id, u)
		return err
	})
	if err != nil {
		return Account{}, fmt.Errorf("update account %s: %w", id, err)
	}
	if len(changed) == 0 {
		return acc.public(), nil
	}
	if acc.Disabled && slices.Contains(changed, "disabled") {
		if err := a.signOutAll(ctx, id, "disabled"); err != nil {
			return Account{}, fmt.Errorf("update account %s: %w", id, err)
		}
	}
	a.log.Info("account updated", "account", id, "fields", changed, "by", actor)
	a.record(ctx, actor, ActionAccountUpdate, "account "+id+": "+strings.Join(changed, ","))
	return acc.public(), nil
}

// update reads the account, applies u and writes it back once.
func (a *Accounts) update(ctx context.Context, id string,
	u AccountUpdate) (Account, []string, error) {
	acc, err := a.store.Account(ctx, id)
	if err != nil {
		return Account{}, nil, err
	}
	next, changed := u.apply(acc)
	if len(changed) == 0 {
		return acc, nil, nil
	}
	if err := next.validate(); err != nil {
		return Account{}, nil, err
	}
	next.UpdatedAt = a.now()
	if err := a.store.UpdateAccount(ctx, next.clone()); err != nil {
		return Account{}, nil, err
	}
	next.Version++
	return next, changed, nil
}

// SetPassword replaces an account's password and signs it out
// everywhere. It returns ErrInvalid for a password that is too short or
// too long, ErrNotFound, or ErrConflict when the account kept changing.
func (a *Accounts) SetPassword(ctx context.Context, actor, id, password string) error {
	hash, err := hashPassword(password, a.cost)
	if err != nil {
		return fmt.Errorf("set password of %s: %w", id, err)
	}
	err = retry(func() error {
		acc, err := a.store.Account(ctx, id)
		if err != nil {
			return err
		}
		acc.PasswordHash, acc.UpdatedAt = hash, a.now()
		return a.store.UpdateAccount(ctx, acc)
	})
	if err != nil {
		return fmt.Errorf("set password of %s: %w", id, err)
	}
	if err := a.signOutAll(ctx, id, "password changed"); err != nil {
		return fmt.Errorf("set password of %s: %w", id, err)
	}
	a.log.Info("password set", "account", id, "by", actor)
	a.record(ctx, actor, ActionPasswordSet, "account "+id)
	return nil
}

// signOutAll ends every session of the account, logging why.
func (a *Accounts) signOutAll(ctx context.Context, id, why string) error {
	n, err := a.store.DeleteSessions(ctx, id)
	if err != nil {
		return fmt.Errorf("end sessions of %s: %w", id, err)
	}
	a.log.Info("sessions ended", "account", id, "sessions", n, "reason", why)
	return nil
}
