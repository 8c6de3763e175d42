package handoff

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Errors of accounts and sessions; test them with errors.Is.
var (
	// ErrExists means an account with that id is already there.
	ErrExists = errors.New("already exists")
	// ErrBadCredentials means the name or the password is wrong, or the
	// account is disabled. The three are one error on purpose, so a
	// caller cannot learn which names exist.
	ErrBadCredentials = errors.New("wrong name or password")
	// ErrNoSession means the token names no session, or the session
	// expired or was signed out. The caller should ask to sign in again.
	ErrNoSession = errors.New("no valid session")
)

// Account is a human agent's or supervisor's login on the desk.
type Account struct {
	// ID is the login name: 1 to 64 lower-case letters, digits, dots,
	// underscores and hyphens, starting with a letter or digit. It is the
	// agent id on the desk and in the audit log.
	ID string
	// Name is the display name shown in the console.
	Name string
	// Role is agent or supervisor.
	Role Role
	// Groups are the skill groups the agent serves.
	Groups []string
	// MaxConcurrent is how many conversations the agent holds at once.
	MaxConcurrent int
	// PasswordHash is the bcrypt hash of the password. Accounts clears
	// it in every account it returns; only stores see it.
	PasswordHash []byte
	// Disabled accounts cannot sign in and lose their sessions.
	Disabled bool
	// CreatedAt is when the account was made.
	CreatedAt time.Time
	// UpdatedAt is when the account last changed.
	UpdatedAt time.Time
	// Version counts the stored changes; a store refuses a write made
	// from an older version.
	Version int64
}

// LogValue shows the account by id, role and flag only: never the
// display name (personal data) or the password hash.
func (a Account) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", a.ID), slog.String("role", string(a.Role)),
		slog.Bool("disabled", a.Disabled))
}

// Profile returns the desk profile the account stands for.
func (a Account) Profile() Profile {
	return Profile{ID: a.ID, Name: a.Name, Role: a.Role, Groups: slices.Clone(a.Groups),
		MaxConcurrent: a.MaxConcurrent}
}

// clone returns a copy that shares no slice with a.
func (a Account) clone() Account {
	a.Groups = slices.Clone(a.Groups)
	a.PasswordHash = slices.Clone(a.PasswordHash)
	return a
}

// public returns a copy without the password hash, for callers of
// Accounts.
func (a Account) public() Account {
	a = a.clone()
	a.PasswordHash = nil
	return a
}

// accountID is the form of a login name.
var accountID = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// Limits of an account's fields.
const (
	maxNameLen      = 100
	maxConcurrentUp = 50
)

// validID says why id is not a login name; it never repeats the id,
// which may be a mistyped password.
func validID(id string) error {
	if !accountID.MatchString(id) {
		return fmt.Errorf("account id: want 1 to 64 lower-case letters, digits or ._- "+
			"starting with a letter or digit: %w", ErrInvalid)
	}
	return nil
}

// validate says which field of the account is wrong.
func (a Account) validate() error {
	if err := validID(a.ID); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(a.Name) == "" || utf8.RuneCountInString(a.Name) > maxNameLen:
		return fmt.Errorf("account %s name: want 1 to %d characters: %w", a.ID, maxNameLen, ErrInvalid)
	case a.Role != RoleAgent && a.Role != RoleSupervisor:
		return fmt.Errorf("account %s role %q: want agent or supervisor: %w", a.ID, a.Role, ErrInvalid)
	case a.MaxConcurrent < 1 || a.MaxConcurrent > maxConcurrentUp:
		return fmt.Errorf("account %s capacity %d: want 1 to %d: %w",
			a.ID, a.MaxConcurrent, maxConcurrentUp, ErrInvalid)
	case slices.Contains(a.Groups, ""):
		return fmt.Errorf("account %s has an empty skill group: %w", a.ID, ErrInvalid)
	}
	return nil
}
