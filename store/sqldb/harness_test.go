package sqldb_test

import (
	"context"
	"testing"

	"hotline/store/sqldb"
	"hotline/store/sqldb/sqldbtest"
)

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

// postgresSchema returns options for a fresh PostgreSQL schema of the
// test's own (see sqldbtest.Schema).
func postgresSchema(t testing.TB) sqldb.Options {
	t.Helper()
	return sqldb.Options{DSN: sqldbtest.Schema(t)}
}
