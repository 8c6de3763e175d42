package sqldb_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hotline/store/sqldb"
)

// The writer never checkpoints inside a commit; the background
// checkpointer copies the WAL into the main file while the database is
// open.
func TestSQLiteCheckpointsInTheBackground(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqldb.Open(ctx, sqldb.Options{DataDir: dir, Synchronous: "normal"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	var auto int
	if err := db.Writer().QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("writer's automatic checkpoint = %d (%v), want 0", auto, err)
	}
	main := filepath.Join(dir, sqldb.FileName)
	before := fileSize(t, main)
	detail := strings.Repeat("x", 150)
	for range 50 {
		err := db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
			for range 100 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, detail)
					VALUES (1, 'a', 'state', ?)`, detail); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for fileSize(t, main) <= before {
		if time.Now().After(deadline) {
			t.Fatalf("main file still %d bytes: the WAL was not checkpointed", before)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
