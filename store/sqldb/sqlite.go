package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	// The pure-Go SQLite driver, registered as "sqlite".
	_ "modernc.org/sqlite"
)

// FileName is the SQLite database file's name inside the data directory.
const FileName = "hotline.db"

// sqliteReaders bounds the read pool; each connection has its own page
// cache.
const sqliteReaders = 4

// openSQLite opens the file in dir with two pools: a writer with one
// connection whose transactions begin IMMEDIATE (so a transaction that
// reads first never fails to upgrade), and a read-only pool that WAL lets
// run beside it.
func openSQLite(ctx context.Context, dir, synchronous string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	sync := "FULL"
	if synchronous == "normal" {
		sync = "NORMAL"
	}
	// These pragmas are per connection, so they go in the DSN where every
	// new connection gets them.
	params := "_journal_mode=WAL&_synchronous=" + sync + "&_busy_timeout=5000&_foreign_keys=on"

	w, err := sql.Open("sqlite", "file:"+path+"?"+params+"&_txlock=immediate&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	if err := migrate(ctx, w, SQLite); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}

	r, err := sql.Open("sqlite", "file:"+path+"?"+params+"&_query_only=1")
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(sqliteReaders)

	cp, err := sql.Open("sqlite", "file:"+path+"?"+params)
	if err != nil {
		_ = w.Close()
		_ = r.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	cp.SetMaxOpenConns(1)

	db := &DB{dialect: SQLite, reader: r, writer: w, group: newGroupWriter(w, 1)}
	stop, done := make(chan struct{}), make(chan struct{})
	go runCheckpoints(cp, stop, done)
	db.onClose(func() {
		close(stop)
		<-done
		_ = cp.Close()
	})
	return db, nil
}
