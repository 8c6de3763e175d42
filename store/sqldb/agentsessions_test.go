package sqldb_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"hotline/handoff"
	"hotline/store/sqldb"
)

const password = "a long enough password"

func TestAgentAccounts_Sessions(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		clk := &testClock{now: t0}
		accounts, sessions := deskAccounts(t, db, clk)
		if created, err := handoff.Bootstrap(ctx, accounts, "admin:"+password); err != nil || !created {
			t.Fatalf("Bootstrap = %v, %v", created, err)
		}
		if created, err := handoff.Bootstrap(ctx, accounts, "admin:"+password); err != nil || created {
			t.Fatalf("second Bootstrap = %v, %v", created, err)
		}

		tok, err := sessions.SignIn(ctx, "admin", password)
		if err != nil {
			t.Fatal(err)
		}
		_, err = sessions.SignIn(ctx, "admin", "not the password")
		if !errors.Is(err, handoff.ErrBadCredentials) {
			t.Fatalf("wrong password: %v", err)
		}
		checkStoredHashOnly(t, db, tok)

		clk.Advance(9 * time.Minute)
		if a, err := sessions.Check(ctx, tok); err != nil || a.ID != "admin" {
			t.Fatalf("Check = %+v, %v", a, err)
		}
		clk.Advance(9 * time.Minute)
		if _, err := sessions.Check(ctx, tok); err != nil {
			t.Fatalf("Check after a refresh: %v", err)
		}
		clk.Advance(10 * time.Minute)
		if _, err := sessions.Check(ctx, tok); !errors.Is(err, handoff.ErrNoSession) {
			t.Fatalf("idle session: %v, want ErrNoSession", err)
		}

		// A password change ends the sessions; Purge removes the idle ones.
		first, _ := sessions.SignIn(ctx, "admin", password)
		clk.Advance(20 * time.Minute)
		second, _ := sessions.SignIn(ctx, "admin", password)
		if n, err := sessions.Purge(ctx); err != nil || n != 1 {
			t.Fatalf("Purge = %d, %v; want the idle one", n, err)
		}
		if err := accounts.SetPassword(ctx, "admin", "admin", "another long password"); err != nil {
			t.Fatal(err)
		}
		for _, tk := range []handoff.Token{first, second} {
			if _, err := sessions.Check(ctx, tk); !errors.Is(err, handoff.ErrNoSession) {
				t.Fatalf("after password change: %v, want ErrNoSession", err)
			}
		}
		if n := countRows(t, db, "agent_sessions"); n != 0 {
			t.Fatalf("%d sessions left", n)
		}
	})
}

// checkStoredHashOnly reads every stored session column and checks the
// token is there only as its SHA-256.
func checkStoredHashOnly(t *testing.T, db *sqldb.DB, tok handoff.Token) {
	t.Helper()
	rows, err := db.Reader().Query(`SELECT token_hash, account_id,
		CAST(created_at AS TEXT), CAST(idle_until AS TEXT), CAST(expires_at AS TEXT) FROM agent_sessions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	sum := sha256.Sum256([]byte(tok.Reveal()))
	n := 0
	for rows.Next() {
		cols := make([]string, 5)
		if err := rows.Scan(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4]); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.Join(cols, "|"), tok.Reveal()) {
			t.Fatal("the raw token is stored")
		}
		if cols[0] != hex.EncodeToString(sum[:]) {
			t.Fatalf("token_hash = %s, want the SHA-256 of the token", cols[0])
		}
		n++
	}
	if n != 1 {
		t.Fatalf("%d sessions stored, want 1", n)
	}
}
