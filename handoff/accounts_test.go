package handoff

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// accountsFixture is an account service on a memory store with a test
// clock, a cheap hash cost, an audit log and a log buffer.
type accountsFixture struct {
	accounts *Accounts
	store    *MemAccountStore
	audit    *MemAuditStore
	clock    *testClock
	log      *bytes.Buffer
}

func newAccountsFixture(t *testing.T) accountsFixture {
	t.Helper()
	f := accountsFixture{store: NewMemAccountStore(), audit: NewMemAuditStore(),
		clock: &testClock{now: t0}, log: &bytes.Buffer{}}
	log := slog.New(slog.NewJSONHandler(f.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	au, err := NewAudit(f.audit, f.clock.Now, log)
	if err != nil {
		t.Fatal(err)
	}
	f.accounts, err = NewAccounts(f.store, f.clock.Now, log,
		WithHashCost(bcrypt.MinCost), WithAudit(au))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

const goodPassword = "correct horse battery"

func (f accountsFixture) create(t *testing.T, id string, role Role) Account {
	t.Helper()
	a, err := f.accounts.Create(context.Background(), "boss", NewAccount{ID: id, Name: "Agent " + id,
		Role: role, Groups: []string{"billing"}, MaxConcurrent: 2, Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAccounts_Create(t *testing.T) {
	ctx := context.Background()
	f := newAccountsFixture(t)
	a := f.create(t, "li.na", RoleAgent)
	if a.Version != 1 || a.PasswordHash != nil || !a.CreatedAt.Equal(t0) {
		t.Fatalf("created = %+v; want version 1, no hash, created at t0", a)
	}

	stored, _ := f.store.Account(ctx, "li.na")
	if bytes.Contains(stored.PasswordHash, []byte(goodPassword)) {
		t.Fatal("store keeps the password in clear")
	}
	if cost, err := bcrypt.Cost(stored.PasswordHash); err != nil || cost != bcrypt.MinCost {
		t.Fatalf("hash cost = %d, %v", cost, err)
	}

	t.Run("taken id is ErrExists", func(t *testing.T) {
		_, err := f.accounts.Create(ctx, "boss", NewAccount{ID: "li.na", Name: "Other",
			Role: RoleAgent, MaxConcurrent: 1, Password: goodPassword})
		if !errors.Is(err, ErrExists) {
			t.Fatalf("err = %v, want ErrExists", err)
		}
	})
	bad := map[string]NewAccount{
		"upper-case id": {ID: "LiNa", Name: "x", Role: RoleAgent, MaxConcurrent: 1},
		"empty name":    {ID: "a1", Name: " ", Role: RoleAgent, MaxConcurrent: 1},
		"unknown role":  {ID: "a1", Name: "x", Role: "boss", MaxConcurrent: 1},
		"no capacity":   {ID: "a1", Name: "x", Role: RoleAgent},
		"empty group":   {ID: "a1", Name: "x", Role: RoleAgent, MaxConcurrent: 1, Groups: []string{""}},
	}
	for name, n := range bad {
		t.Run(name+" is ErrInvalid", func(t *testing.T) {
			n.Password = goodPassword
			if _, err := f.accounts.Create(ctx, "boss", n); !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestAccounts_DefaultCost(t *testing.T) {
	s := NewMemAccountStore()
	a, err := NewAccounts(s, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Create(context.Background(), "", NewAccount{ID: "a1", Name: "A", Role: RoleAgent,
		MaxConcurrent: 1, Password: goodPassword}); err != nil {
		t.Fatal(err)
	}
	stored, _ := s.Account(context.Background(), "a1")
	if cost, _ := bcrypt.Cost(stored.PasswordHash); cost != bcrypt.DefaultCost {
		t.Fatalf("cost = %d, want bcrypt.DefaultCost", cost)
	}
	if _, err := NewAccounts(s, nil, nil, WithHashCost(2)); err == nil {
		t.Fatal("cost 2 accepted")
	}
}

func TestAccounts_PasswordLength(t *testing.T) {
	ctx := context.Background()
	f := newAccountsFixture(t)
	f.create(t, "a1", RoleAgent)
	for name, pw := range map[string]string{
		"nine characters": "abcdefghi",
		"73 bytes":        string(bytes.Repeat([]byte("x"), 73)),
	} {
		t.Run(name+" is refused", func(t *testing.T) {
			err := f.accounts.SetPassword(ctx, "boss", "a1", pw)
			if !errors.Is(err, ErrInvalid) || bytes.Contains([]byte(err.Error()), []byte(pw)) {
				t.Fatalf("err = %v, want ErrInvalid without the password", err)
			}
		})
	}
	t.Run("ten characters are enough", func(t *testing.T) {
		if err := f.accounts.SetPassword(ctx, "boss", "a1", "abcdefghij"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.accounts.Authenticate(ctx, "a1", "abcdefghij"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAccounts_Authenticate(t *testing.T) {
	ctx := context.Background()
	f := newAccountsFixture(t)
	f.create(t, "a1", RoleAgent)
	f.create(t, "off", RoleAgent)
	disabled := true
	if _, err := f.accounts.Update(ctx, "boss", "off", AccountUpdate{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}

	t.Run("right password returns the account", func(t *testing.T) {
		a, err := f.accounts.Authenticate(ctx, "a1", goodPassword)
		if err != nil || a.ID != "a1" || a.PasswordHash != nil {
			t.Fatalf("Authenticate = %+v, %v", a, err)
		}
	})
	refused := map[string][2]string{
		"wrong password":   {"a1", goodPassword + "!"},
		"unknown name":     {"nobody", goodPassword},
		"not a login name": {"Robert'); --", goodPassword},
		"disabled":         {"off", goodPassword},
	}
	for name, c := range refused {
		t.Run(name+" is ErrBadCredentials", func(t *testing.T) {
			_, err := f.accounts.Authenticate(ctx, c[0], c[1])
			if err != ErrBadCredentials { //nolint:errorlint // the very same error
				t.Fatalf("err = %v, want exactly ErrBadCredentials", err)
			}
		})
	}
	t.Run("unknown name is compared against a dummy hash", func(t *testing.T) {
		cost, err := bcrypt.Cost(f.accounts.dummyHash())
		if err != nil || cost != f.accounts.cost {
			t.Fatalf("dummy hash cost = %d, %v; want the accounts' cost", cost, err)
		}
	})
}

func TestAccounts_Update(t *testing.T) {
	ctx := context.Background()
	f := newAccountsFixture(t)
	f.create(t, "a1", RoleAgent)
	name, role, groups, capacity := "Wang Fang", RoleSupervisor, []string{"sales", "tech"}, 4
	a, err := f.accounts.Update(ctx, "boss", "a1", AccountUpdate{Name: &name, Role: &role,
		Groups: &groups, MaxConcurrent: &capacity})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.accounts.Account(ctx, "a1")
	if got.Name != name || got.Role != role || !slices.Equal(got.Groups, groups) ||
		got.MaxConcurrent != 4 || got.Version != 2 || a.Version != 2 || got.PasswordHash != nil {
		t.Fatalf("after update = %+v (returned %+v)", got, a)
	}

	t.Run("bad capacity is ErrInvalid and changes nothing", func(t *testing.T) {
		zero := 0
		_, err := f.accounts.Update(ctx, "boss", "a1", AccountUpdate{MaxConcurrent: &zero})
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("err = %v", err)
		}
		if again, _ := f.accounts.Account(ctx, "a1"); again.MaxConcurrent != 4 {
			t.Fatalf("capacity = %d", again.MaxConcurrent)
		}
	})
	t.Run("missing account is ErrNotFound", func(t *testing.T) {
		_, err := f.accounts.Update(ctx, "boss", "zz", AccountUpdate{Name: &name})
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("list is ordered and without hashes", func(t *testing.T) {
		f.create(t, "a0", RoleAgent)
		all, err := f.accounts.List(ctx)
		if err != nil || len(all) != 2 || all[0].ID != "a0" || all[1].ID != "a1" ||
			all[0].PasswordHash != nil || all[1].PasswordHash != nil {
			t.Fatalf("List = %+v, %v", all, err)
		}
	})
}
