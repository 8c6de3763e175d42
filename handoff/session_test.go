package handoff

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func newSessions(t *testing.T, f accountsFixture) *Sessions {
	t.Helper()
	s, err := NewSessions(f.accounts, SessionConfig{Idle: 10 * time.Minute, Lifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func signIn(t *testing.T, s *Sessions, name string) Token {
	t.Helper()
	tok, err := s.SignIn(context.Background(), name, goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestSessions_SignIn(t *testing.T) {
	ctx := context.Background()
	f := newAccountsFixture(t)
	f.create(t, "a1", RoleAgent)
	s := newSessions(t, f)
	tok := signIn(t, s, "a1")

	if len(tok.Reveal()) != 43 || strings.ContainsAny(tok.Reveal(), "+/=") {
		t.Fatalf("token %q is not 32 bytes in unpadded base64url", tok.Reveal())
	}
	a, err := s.Check(ctx, tok)
	if err != nil || a.ID != "a1" || a.PasswordHash != nil {
		t.Fatalf("Check = %+v, %v", a, err)
	}
	if other := signIn(t, s, "a1"); other == tok {
		t.Fatal("two sign-ins got the same token")
	}
	if _, err := s.SignIn(ctx, "a1", "wrong password"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := s.Check(ctx, Token("made-up")); !errors.Is(err, ErrNoSession) {
		t.Fatalf("made-up token: %v", err)
	}
}

func TestSessions_TokenStoredOnlyHashed(t *testing.T) {
	f := newAccountsFixture(t)
	f.create(t, "a1", RoleAgent)
	s := newSessions(t, f)
	tok := signIn(t, s, "a1")

	hashes := f.store.SessionHashes()
	if len(hashes) != 1 || hashes[0] != tok.hash() || len(hashes[0]) != 64 {
		t.Fatalf("stored keys = %v; want the one SHA-256 hex of the token", hashes)
	}
	sess, _ := f.store.Session(context.Background(), hashes[0])
	for _, field := range []string{sess.TokenHash, sess.AccountID} {
		if strings.Contains(field, tok.Reveal()) {
			t.Fatal("the raw token is in the store")
		}
	}
}

func TestSessions_IdleExpiry(t *testing.T) {
	ctx := context.Background()
	f := newAccountsFixture(t)
	f.create(t, "a1", RoleAgent)
	s := newSessions(t, f)
	tok := signIn(t, s, "a1")

	t.Run("check refreshes the idle time", func(t *testing.T) {
		for range 3 {
			f.clock.Advance(9 * time.Minute)
			if _, err := s.Check(ctx, tok); err != nil {
				t.Fatalf("at %v: %v", f.clock.Now().Sub(t0), err)
			}
		}
		sess, _ := f.store.Session(ctx, tok.hash())
		if want := f.clock.Now().Add(10 * time.Minute); !sess.IdleUntil.Equal(want) {
			t.Fatalf("idle until %v, want %v", sess.IdleUntil, want)
		}
	})
	t.Run("idle session ends and is removed", func(t *testing.T) {
		f.clock.Advance(10 * time.Minute)
		if _, err := s.Check(ctx, tok); !errors.Is(err, ErrNoSession) {
			t.Fatalf("err = %v, want ErrNoSession", err)
		}
		if n := len(f.store.SessionHashes()); n != 0 {
			t.Fatalf("%d sessions left", n)
		}
	})
}

func TestSessions_AbsoluteExpiry(t *testing.T) {
	ctx := context.Background()
	f := newAccountsFixture(t)
	f.create(t, "a1", RoleAgent)
	s := newSessions(t, f)
	tok := signIn(t, s, "a1")

	// Used every 5 minutes, the session still ends after its hour.
	for f.clock.Now().Sub(t0) < 55*time.Minute {
		f.clock.Advance(5 * time.Minute)
		if _, err := s.Check(ctx, tok); err != nil {
			t.Fatalf("at %v: %v", f.clock.Now().Sub(t0), err)
		}
	}
	sess, _ := f.store.Session(ctx, tok.hash())
	if !sess.IdleUntil.Equal(t0.Add(time.Hour)) {
		t.Fatalf("idle until %v, want capped at the lifetime", sess.IdleUntil)
	}
	f.clock.Advance(5 * time.Minute)
	if _, err := s.Check(ctx, tok); !errors.Is(err, ErrNoSession) {
		t.Fatalf("after the lifetime: %v, want ErrNoSession", err)
	}
}

func TestSessions_SignOut(t *testing.T) {
	ctx := context.Background()
	f := newAccountsFixture(t)
	f.create(t, "a1", RoleAgent)
	s := newSessions(t, f)
	tok, keep := signIn(t, s, "a1"), signIn(t, s, "a1")

	if err := s.SignOut(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Check(ctx, tok); !errors.Is(err, ErrNoSession) {
		t.Fatalf("signed-out token: %v", err)
	}
	if _, err := s.Check(ctx, keep); err != nil {
		t.Fatalf("the other session: %v", err)
	}
	if err := s.SignOut(ctx, tok); err != nil {
		t.Fatalf("second sign-out: %v", err)
	}
	if err := s.SignOutAll(ctx, "a1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Check(ctx, keep); !errors.Is(err, ErrNoSession) {
		t.Fatalf("after SignOutAll: %v", err)
	}
}

func TestSessions_SignOutAllOnAccountChange(t *testing.T) {
	ctx := context.Background()
	disabled := true
	changes := map[string]func(a *Accounts) error{
		"password change": func(a *Accounts) error {
			return a.SetPassword(ctx, "boss", "a1", "a new long password")
		},
		"disable": func(a *Accounts) error {
			_, err := a.Update(ctx, "boss", "a1", AccountUpdate{Disabled: &disabled})
			return err
		},
	}
	for name, change := range changes {
		t.Run(name+" ends every session", func(t *testing.T) {
			f := newAccountsFixture(t)
			f.create(t, "a1", RoleAgent)
			f.create(t, "a2", RoleAgent)
			s := newSessions(t, f)
			toks := []Token{signIn(t, s, "a1"), signIn(t, s, "a1")}
			other := signIn(t, s, "a2")

			if err := change(f.accounts); err != nil {
				t.Fatal(err)
			}
			for _, tok := range toks {
				if _, err := s.Check(ctx, tok); !errors.Is(err, ErrNoSession) {
					t.Fatalf("old session: %v, want ErrNoSession", err)
				}
			}
			if _, err := s.Check(ctx, other); err != nil {
				t.Fatalf("another account's session: %v", err)
			}
		})
	}
}

func TestSessions_Purge(t *testing.T) {
	ctx := context.Background()
	f := newAccountsFixture(t)
	f.create(t, "a1", RoleAgent)
	s := newSessions(t, f)
	signIn(t, s, "a1")
	f.clock.Advance(5 * time.Minute)
	fresh := signIn(t, s, "a1")
	f.clock.Advance(6 * time.Minute)

	if n, err := s.Purge(ctx); err != nil || n != 1 {
		t.Fatalf("Purge = %d, %v; want the idle one", n, err)
	}
	if _, err := s.Check(ctx, fresh); err != nil {
		t.Fatalf("fresh session: %v", err)
	}
}

func TestSessionConfig_Validate(t *testing.T) {
	f := newAccountsFixture(t)
	_, err := NewSessions(f.accounts, SessionConfig{Idle: time.Hour, Lifetime: time.Minute})
	if err == nil {
		t.Fatal("lifetime shorter than idle accepted")
	}
	s, err := NewSessions(f.accounts, SessionConfig{})
	if err != nil || s.cfg.Idle != defaultIdle || s.cfg.Lifetime != defaultLifetime {
		t.Fatalf("defaults = %+v, %v", s.cfg, err)
	}
}

func TestSessions_Audited(t *testing.T) {
	ctx := context.Background()
	f := newAccountsFixture(t)
	f.create(t, "a1", RoleAgent)
	s := newSessions(t, f)
	tok := signIn(t, s, "a1")
	_, _ = s.SignIn(ctx, "a1", "wrong password")
	_, _ = s.SignIn(ctx, "ghost", "wrong password")
	if err := s.SignOut(ctx, tok); err != nil {
		t.Fatal(err)
	}

	got, _ := f.audit.AuditEntries(ctx, AuditQuery{})
	want := "sign_out sign_in_failed sign_in_failed sign_in account_create"
	if s := actions(got); s != want {
		t.Fatalf("actions = %q, want %q", s, want)
	}
	if got[2].Actor != "a1" || got[1].Actor != "" || got[4].Actor != "boss" {
		t.Fatalf("actors = %q %q %q; want a1, none for an unknown name, boss",
			got[2].Actor, got[1].Actor, got[4].Actor)
	}
}

// A check soon after another writes nothing; the session's idle expiry
// moves once it would move by a minute or more.
func TestSessions_CheckWritesOnlyForAMinuteOrMore(t *testing.T) {
	ctx := context.Background()
	f := newAccountsFixture(t)
	f.create(t, "a1", RoleAgent)
	s := newSessions(t, f)
	tok := signIn(t, s, "a1")
	first, _ := f.store.Session(ctx, tok.hash())

	f.clock.Advance(20 * time.Second)
	if _, err := s.Check(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if sess, _ := f.store.Session(ctx, tok.hash()); !sess.IdleUntil.Equal(first.IdleUntil) {
		t.Errorf("a check after 20s moved the idle expiry to %v", sess.IdleUntil)
	}

	f.clock.Advance(50 * time.Second)
	if _, err := s.Check(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if sess, _ := f.store.Session(ctx, tok.hash()); !sess.IdleUntil.Equal(f.clock.Now().Add(10 * time.Minute)) {
		t.Errorf("after 70s the idle expiry is %v, want now plus the idle timeout", sess.IdleUntil)
	}
}
