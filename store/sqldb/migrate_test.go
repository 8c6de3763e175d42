package sqldb_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"

	"hotline/store/sqldb"
)

func migrationVersions(t *testing.T, db *sqldb.DB) []int {
	t.Helper()
	rows, err := db.Reader().Query("SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func TestOpen_MigrationsRunOnce(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		first := openSQLite(t, dir)
		want := migrationVersions(t, first)
		if err := first.Close(); err != nil {
			t.Fatal(err)
		}
		again := openSQLite(t, dir)
		if got := migrationVersions(t, again); len(got) != len(want) || len(got) < 2 {
			t.Fatalf("versions after reopen = %v, want %v", got, want)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		o := postgresSchema(t)
		// Instances starting together: the lock lets each migration run once.
		var wg sync.WaitGroup
		dbs := make([]*sqldb.DB, 4)
		errs := make([]error, 4)
		for i := range dbs {
			wg.Go(func() { dbs[i], errs[i] = sqldb.Open(context.Background(), o) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("instance %d: %v", i, err)
			}
			t.Cleanup(func() { _ = dbs[i].Close() })
		}
		if got := migrationVersions(t, dbs[0]); len(got) < 2 || got[0] != 1 {
			t.Fatalf("versions = %v", got)
		}
	})
}

// oldSchema is the conversation schema as the store created it before
// schema_migrations existed, counted in PRAGMA user_version.
const oldSchema = `CREATE TABLE conversations (
		id TEXT PRIMARY KEY, channel TEXT NOT NULL, address TEXT NOT NULL,
		subscriber_id TEXT NOT NULL DEFAULT '', state TEXT NOT NULL, lang TEXT NOT NULL,
		misses INTEGER NOT NULL DEFAULT 0, slots TEXT NOT NULL DEFAULT '{}',
		last_seq INTEGER NOT NULL, version INTEGER NOT NULL, created_at INTEGER NOT NULL,
		active_at INTEGER NOT NULL, UNIQUE (channel, address));
	CREATE TABLE messages (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL,
		seq INTEGER NOT NULL, direction TEXT NOT NULL, sender TEXT NOT NULL, body TEXT NOT NULL,
		provider_id TEXT, reply_to TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL,
		delivery TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0,
		UNIQUE (conversation_id, seq));
	CREATE TABLE unanswered (id INTEGER PRIMARY KEY, conversation_id TEXT NOT NULL,
		message_id TEXT NOT NULL, text TEXT NOT NULL, best_entry TEXT NOT NULL DEFAULT '',
		best_score REAL NOT NULL DEFAULT 0, suggested INTEGER NOT NULL DEFAULT 0,
		at INTEGER NOT NULL);
	INSERT INTO conversations VALUES ('c1', 'webchat', 'a1', '', 'answering', 'zh', 0, '{}',
		0, 1, 1, 1);
	PRAGMA user_version = 1;`

// A file from before schema_migrations has migration 1 applied: it keeps
// its data and gets only the newer migrations.
func TestOpen_AdoptsUserVersion(t *testing.T) {
	dir := t.TempDir()
	old, err := sql.Open("sqlite", "file:"+filepath.Join(dir, sqldb.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(oldSchema); err != nil {
		t.Fatal(err)
	}
	_ = old.Close()

	db := openSQLite(t, dir)
	got := migrationVersions(t, db)
	if len(got) < 2 || got[0] != 1 {
		t.Fatalf("versions = %v, want 1 and the newer ones", got)
	}
	var n int
	if err := db.Reader().QueryRow("SELECT COUNT(*) FROM conversations").Scan(&n); err != nil || n != 1 {
		t.Fatalf("conversations = %d, %v; want the old row kept", n, err)
	}
	if err := db.Reader().QueryRow("SELECT COUNT(*) FROM tickets").Scan(&n); err != nil {
		t.Fatalf("tickets table missing: %v", err)
	}
	var uv int
	if err := db.Reader().QueryRow("PRAGMA user_version").Scan(&uv); err != nil || uv != len(got) {
		t.Fatalf("user_version = %d, %v; want %d", uv, err, len(got))
	}
}

func TestOpen_RefusesNewerSchema(t *testing.T) {
	dir := t.TempDir()
	db := openSQLite(t, dir)
	err := db.Write(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations VALUES (999, 0)")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	if _, err := sqldb.Open(context.Background(), sqldb.Options{DataDir: dir}); err == nil {
		t.Fatal("Open accepted a schema newer than the program")
	}
}

func TestRebind(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		q := "SELECT a FROM t WHERE a = ? AND b = '?' AND c IN (?, ?)"
		want := q
		if db.Dialect() == sqldb.Postgres {
			want = "SELECT a FROM t WHERE a = $1 AND b = '?' AND c IN ($2, $3)"
		}
		if got := db.Rebind(q); got != want {
			t.Fatalf("Rebind = %q, want %q", got, want)
		}
	})
}
