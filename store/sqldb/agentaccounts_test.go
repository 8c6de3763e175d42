package sqldb_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"hotline/handoff"
	"hotline/store/sqldb"
)

func TestAgentAccounts_Accounts(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := sqldb.NewAgentAccounts(db)
		a := handoff.Account{ID: "li.na", Name: "Li Na", Role: handoff.RoleAgent,
			Groups: []string{"billing", "tech"}, MaxConcurrent: 3, PasswordHash: []byte("$2a$04$x"),
			CreatedAt: t0, UpdatedAt: t0}
		if err := s.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateAccount(ctx, a); !errors.Is(err, handoff.ErrExists) {
			t.Fatalf("duplicate: %v, want ErrExists", err)
		}
		a.Version = 1
		got, err := s.Account(ctx, "li.na")
		if err != nil || !reflect.DeepEqual(got, a) {
			t.Fatalf("Account = %+v, %v; want %+v", got, err, a)
		}
		if _, err := s.Account(ctx, "nobody"); !errors.Is(err, handoff.ErrNotFound) {
			t.Fatalf("missing: %v, want ErrNotFound", err)
		}

		if has, err := s.HasSupervisor(ctx); err != nil || has {
			t.Fatalf("HasSupervisor = %v, %v before any", has, err)
		}
		chief := handoff.Account{ID: "chief", Name: "C", Role: handoff.RoleSupervisor,
			MaxConcurrent: 1, PasswordHash: []byte("h"), Disabled: true, CreatedAt: t0, UpdatedAt: t0}
		if err := s.CreateAccount(ctx, chief); err != nil {
			t.Fatal(err)
		}
		if has, err := s.HasSupervisor(ctx); err != nil || !has {
			t.Fatalf("HasSupervisor = %v, %v with a disabled one", has, err)
		}

		next := got
		next.Groups, next.Disabled, next.UpdatedAt = nil, true, t0.Add(time.Hour)
		if err := s.UpdateAccount(ctx, next); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateAccount(ctx, next); !errors.Is(err, handoff.ErrConflict) {
			t.Fatalf("stale update: %v, want ErrConflict", err)
		}
		all, err := s.Accounts(ctx)
		if err != nil || len(all) != 2 || all[0].ID != "chief" || !all[1].Disabled ||
			all[1].Version != 2 || len(all[1].Groups) != 0 || !all[1].UpdatedAt.Equal(next.UpdatedAt) {
			t.Fatalf("Accounts = %+v, %v", all, err)
		}
	})
}

// deskAccounts builds the account and session services on db's stores.
func deskAccounts(t *testing.T, db *sqldb.DB,
	clk *testClock) (*handoff.Accounts, *handoff.Sessions) {
	t.Helper()
	audit, err := handoff.NewAudit(sqldb.NewAuditLog(db), clk.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := handoff.NewAccounts(sqldb.NewAgentAccounts(db), clk.Now, nil,
		handoff.WithHashCost(bcrypt.MinCost), handoff.WithAudit(audit))
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := handoff.NewSessions(accounts,
		handoff.SessionConfig{Idle: 10 * time.Minute, Lifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return accounts, sessions
}
