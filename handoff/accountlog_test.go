package handoff

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestAccounts_NoSecretsInLogsOrErrors runs accounts and sessions through
// their paths and checks that no password, token or display name shows
// in the log, the errors, the audit log or the printed forms.
func TestAccounts_NoSecretsInLogsOrErrors(t *testing.T) {
	ctx := context.Background()
	f := newAccountsFixture(t)
	f.create(t, "a1", RoleAgent)
	s := newSessions(t, f)
	var errs []error
	keep := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}

	tok := signIn(t, s, "a1")
	_, err := s.SignIn(ctx, "a1", "wrong-password-1")
	keep(err)
	_, err = s.SignIn(ctx, "wrong-password-2", goodPassword)
	keep(err)
	keep(f.accounts.SetPassword(ctx, "boss", "a1", "short-3"))
	f.clock.Advance(time.Hour)
	_, err = s.Check(ctx, tok)
	keep(err)
	_, err = Bootstrap(ctx, f.accounts, "bad name:wrong-password-4")
	keep(err)
	f.accounts.log.Info("printed", "token", tok, "account", Account{ID: "a1", Name: "Agent a1",
		PasswordHash: []byte("$2a$hash")})

	printed, _ := json.Marshal(struct{ T Token }{tok})
	texts := []string{f.log.String(), fmt.Sprint(tok), fmt.Sprintf("%#v %q", tok, tok),
		string(printed)}
	for _, e := range errs {
		texts = append(texts, e.Error())
	}
	entries, _ := f.audit.AuditEntries(ctx, AuditQuery{})
	texts = append(texts, fmt.Sprintf("%+v", entries))
	if len(errs) != 5 {
		t.Fatalf("%d errors, want 5: %v", len(errs), errs)
	}

	secrets := []string{goodPassword, "wrong-password", "short-3", tok.Reveal(), tok.hash(),
		"Agent a1", "$2a$"}
	for _, text := range texts {
		for _, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%q shows in:\n%s", secret, text)
			}
		}
	}
	if !strings.Contains(f.log.String(), `"account":"a1"`) {
		t.Fatalf("log does not name the account:\n%s", f.log.String())
	}
	var _ slog.LogValuer = tok
}
