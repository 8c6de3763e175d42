// Package sqldbtest gives tests a PostgreSQL schema of their own on the
// test server, so tests that need PostgreSQL can run in parallel and leave
// nothing behind. Only tests import it.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	// The pgx driver for database/sql, registered as "pgx".
	_ "github.com/jackc/pgx/v5/stdlib"
)

// DefaultServer is the test server when HOTLINE_TEST_POSTGRES is unset:
// the local PostgreSQL with trust authentication and its database test.
const DefaultServer = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Schema makes a schema of its own for the test, dropped when the test
// ends, and returns a postgres:// URL whose connections use it. Without a
// server it skips the test, saying what to start; with
// HOTLINE_REQUIRE_SERVICES=1 (as in CI) it fails instead.
func Schema(t testing.TB) string {
	t.Helper()
	base := os.Getenv("HOTLINE_TEST_POSTGRES")
	if base == "" {
		base = DefaultServer
	}
	admin := connect(t, base)

	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})

	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// connect opens the test server for schema management; it is closed after
// the test's other cleanups.
func connect(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		where := "the address in HOTLINE_TEST_POSTGRES"
		if u, perr := url.Parse(dsn); perr == nil {
			where = u.Host
		}
		if os.Getenv("HOTLINE_REQUIRE_SERVICES") == "1" {
			t.Fatalf("PostgreSQL not reachable at %s: %v", where, err)
		}
		t.Skipf("PostgreSQL not reachable at %s; start it or set HOTLINE_TEST_POSTGRES", where)
	}
	return admin
}
