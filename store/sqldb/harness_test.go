package sqldb_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"hotline/store/sqldb"
)

// defaultPostgres is the test server when HOTLINE_TEST_POSTGRES is unset.
const defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// eachDialect runs fn as a parallel subtest on a fresh SQLite file and on
// a fresh PostgreSQL schema.
func eachDialect(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, openSQLite(t, t.TempDir()))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, openDB(t, postgresSchema(t)))
	})
}

func openSQLite(t testing.TB, dir string) *sqldb.DB {
	t.Helper()
	return openDB(t, sqldb.Options{DataDir: dir})
}

func openDB(t testing.TB, o sqldb.Options) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// postgresSchema makes a schema of its own for the test, dropped at the
// end, and returns options whose connections use it. It skips the test
// when no server answers, unless HOTLINE_REQUIRE_SERVICES=1.
func postgresSchema(t testing.TB) sqldb.Options {
	t.Helper()
	base := os.Getenv("HOTLINE_TEST_POSTGRES")
	if base == "" {
		base = defaultPostgres
	}
	admin := postgresAdmin(t, base)

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
	return sqldb.Options{DSN: u.String()}
}

// postgresAdmin connects to the test server for schema management; it is
// closed after the test's other cleanups.
func postgresAdmin(t testing.TB, dsn string) *sql.DB {
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
