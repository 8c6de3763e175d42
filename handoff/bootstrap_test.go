package handoff

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestBootstrap(t *testing.T) {
	ctx := context.Background()

	t.Run("creates the first supervisor once", func(t *testing.T) {
		f := newAccountsFixture(t)
		created, err := Bootstrap(ctx, f.accounts, "admin:a:long:secret")
		if err != nil || !created {
			t.Fatalf("Bootstrap = %v, %v", created, err)
		}
		a, err := f.accounts.Authenticate(ctx, "admin", "a:long:secret")
		if err != nil || a.Role != RoleSupervisor {
			t.Fatalf("admin = %+v, %v", a, err)
		}
		again, err := Bootstrap(ctx, f.accounts, "admin:another password")
		if err != nil || again {
			t.Fatalf("second Bootstrap = %v, %v; want nothing done", again, err)
		}
		if _, err := f.accounts.Authenticate(ctx, "admin", "a:long:secret"); err != nil {
			t.Fatalf("password changed by the second run: %v", err)
		}
	})
	t.Run("does nothing when a supervisor exists", func(t *testing.T) {
		f := newAccountsFixture(t)
		f.create(t, "chief", RoleSupervisor)
		created, err := Bootstrap(ctx, f.accounts, "admin:"+goodPassword)
		if err != nil || created {
			t.Fatalf("Bootstrap = %v, %v", created, err)
		}
		if _, err := f.accounts.Account(ctx, "admin"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("admin made anyway: %v", err)
		}
	})
	t.Run("an agent of that name is an error", func(t *testing.T) {
		f := newAccountsFixture(t)
		f.create(t, "admin", RoleAgent)
		if _, err := Bootstrap(ctx, f.accounts, "admin:"+goodPassword); !errors.Is(err, ErrExists) {
			t.Fatalf("err = %v, want ErrExists", err)
		}
	})
	t.Run("empty value does nothing", func(t *testing.T) {
		f := newAccountsFixture(t)
		if created, err := Bootstrap(ctx, f.accounts, ""); err != nil || created {
			t.Fatalf("Bootstrap = %v, %v", created, err)
		}
	})
}

func TestBootstrap_Malformed(t *testing.T) {
	ctx := context.Background()
	values := map[string]string{
		"no colon":       "hunter2hunter2",
		"empty name":     ":hunter2hunter2",
		"bad name":       "Hunter2 Hunter2:hunter2hunter2",
		"empty password": "admin:",
		"short password": "admin:hunter2",
	}
	for name, v := range values {
		t.Run(name+" is refused without the password", func(t *testing.T) {
			f := newAccountsFixture(t)
			created, err := Bootstrap(ctx, f.accounts, v)
			if err == nil || created || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Bootstrap = %v, %v; want ErrInvalid", created, err)
			}
			if !strings.Contains(err.Error(), BootstrapEnv) || strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("error %q should name %s and never the password", err, BootstrapEnv)
			}
			if all, _ := f.accounts.List(ctx); len(all) != 0 {
				t.Fatalf("accounts made: %v", all)
			}
		})
	}
}
