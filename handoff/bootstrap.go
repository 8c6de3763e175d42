package handoff

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// BootstrapEnv is the environment variable that names the first
// supervisor, as name:password.
const BootstrapEnv = "HOTLINE_BOOTSTRAP_ADMIN"

// bootstrapCapacity is the first supervisor's capacity.
const bootstrapCapacity = 5

// Bootstrap creates a supervisor from value, the content of
// HOTLINE_BOOTSTRAP_ADMIN in the form name:password, when the store has no
// supervisor yet, and reports whether it did. An empty value, or a store
// that already has a supervisor (even a disabled one), does nothing, so
// it is safe to run at every start. A malformed value, a bad name or a
// short password is an error naming the variable; no error repeats the
// value.
func Bootstrap(ctx context.Context, a *Accounts, value string) (bool, error) {
	if value == "" {
		return false, nil
	}
	name, password, ok := strings.Cut(value, ":")
	if !ok || validID(name) != nil || password == "" {
		return false, fmt.Errorf("%s: want name:password with a login name of lower-case "+
			"letters, digits or ._-: %w", BootstrapEnv, ErrInvalid)
	}
	if err := checkPassword(password); err != nil {
		return false, fmt.Errorf("%s: %w", BootstrapEnv, err)
	}
	if has, err := a.store.HasSupervisor(ctx); err != nil || has {
		return false, bootstrapErr(err)
	}

	_, err := a.Create(ctx, "", NewAccount{ID: name, Name: name, Role: RoleSupervisor,
		MaxConcurrent: bootstrapCapacity, Password: password})
	if errors.Is(err, ErrExists) {
		// Another instance may have won the race; only then is it done.
		if has, herr := a.store.HasSupervisor(ctx); herr == nil && has {
			return false, nil
		}
		return false, fmt.Errorf("%s: account %s exists and is no supervisor: %w",
			BootstrapEnv, name, ErrExists)
	}
	if err != nil {
		return false, fmt.Errorf("%s: %w", BootstrapEnv, err)
	}
	a.log.Info("first supervisor created", "account", name)
	return true, nil
}

// bootstrapErr wraps a store's error, keeping nil as nil.
func bootstrapErr(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: check for a supervisor: %w", BootstrapEnv, err)
}
