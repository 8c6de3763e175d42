package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Accounts manages the desk's accounts: creating and changing them,
// setting passwords and checking them. It is safe for concurrent use.
// Every account it returns has its password hash cleared.
type Accounts struct {
	store AccountStore
	now   func() time.Time
	log   *slog.Logger
	audit *Audit
	cost  int

	dummyOnce sync.Once
	dummy     []byte
}

// AccountsOption changes how Accounts works.
type AccountsOption func(*Accounts)

// WithHashCost sets the bcrypt cost instead of bcrypt.DefaultCost. Only
// tests should lower it; NewAccounts refuses a cost bcrypt does not take.
func WithHashCost(cost int) AccountsOption {
	return func(a *Accounts) { a.cost = cost }
}

// WithAudit makes Accounts, and the Sessions built on it, record account
// changes and sign-ins in the audit log. Without it nothing is recorded.
func WithAudit(au *Audit) AccountsOption {
	return func(a *Accounts) { a.audit = au }
}

// NewAccounts builds the account service on a store, with a clock (nil
// means time.Now) and a logger (nil discards). It returns an error when
// the store is missing or the hash cost is out of bcrypt's range.
func NewAccounts(s AccountStore, now func() time.Time, log *slog.Logger,
	opts ...AccountsOption) (*Accounts, error) {
	if s == nil {
		return nil, errors.New("accounts need a store")
	}
	a := &Accounts{store: s, now: now, log: log, cost: bcrypt.DefaultCost}
	for _, o := range opts {
		o(a)
	}
	if a.cost < bcrypt.MinCost || a.cost > bcrypt.MaxCost {
		return nil, fmt.Errorf("password hash cost %d: want %d to %d",
			a.cost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	return a, nil
}

// NewAccount is what Create needs to make an account.
type NewAccount struct {
	ID            string
	Name          string
	Role          Role
	Groups        []string
	MaxConcurrent int
	Password      string
}

// Create makes an account. It returns ErrInvalid naming the bad field
// (a short password among them) and ErrExists when the id is taken. The
// actor is who asked, for the audit log.
func (a *Accounts) Create(ctx context.Context, actor string, n NewAccount) (Account, error) {
	now := a.now()
	acc := Account{ID: n.ID, Name: n.Name, Role: n.Role, Groups: n.Groups,
		MaxConcurrent: n.MaxConcurrent, CreatedAt: now, UpdatedAt: now}
	if err := acc.validate(); err != nil {
		return Account{}, fmt.Errorf("create account: %w", err)
	}
	hash, err := hashPassword(n.Password, a.cost)
	if err != nil {
		return Account{}, fmt.Errorf("create account %s: %w", acc.ID, err)
	}
	acc.PasswordHash = hash

	if err := a.store.CreateAccount(ctx, acc.clone()); err != nil {
		return Account{}, fmt.Errorf("create account %s: %w", acc.ID, err)
	}
	acc.Version = 1
	a.log.Info("account created", "account", acc.ID, "role", string(acc.Role), "by", actor)
	a.record(ctx, actor, ActionAccountCreate, "account "+acc.ID)
	return acc.public(), nil
}

// Account returns an account, or ErrNotFound.
func (a *Accounts) Account(ctx context.Context, id string) (Account, error) {
	acc, err := a.store.Account(ctx, id)
	if err != nil {
		return Account{}, fmt.Errorf("load account %s: %w", id, err)
	}
	return acc.public(), nil
}

// List returns all accounts ordered by id.
func (a *Accounts) List(ctx context.Context) ([]Account, error) {
	all, err := a.store.Accounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	for i := range all {
		all[i] = all[i].public()
	}
	return all, nil
}

// record appends to the audit log, if there is one; a failure is logged,
// not returned, since the change it describes is already made.
func (a *Accounts) record(ctx context.Context, actor string, action AuditAction, detail string) {
	if a.audit == nil {
		return
	}
	if err := a.audit.Record(ctx, actor, action, "", detail); err != nil {
		a.log.Error("audit record failed", "action", string(action), "by", actor, "error", err)
	}
}

// dummyHash returns a hash of no account's password at the service's
// cost, made on first use.
func (a *Accounts) dummyHash() []byte {
	a.dummyOnce.Do(func() {
		a.dummy, _ = bcrypt.GenerateFromPassword([]byte(dummyPassword), a.cost)
	})
	return a.dummy
}
