package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Dialect names the SQL database behind a DB.
type Dialect int

// Dialects.
const (
	// SQLite is the embedded file in the data directory.
	SQLite Dialect = iota + 1
	// Postgres is a PostgreSQL server.
	Postgres
)

// String returns the dialect's name.
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "unknown"
}

// Options say which database to open.
type Options struct {
	// DSN is a postgres:// or postgresql:// URL; anything else, including
	// empty, means the embedded SQLite file in DataDir.
	DSN string
	// DataDir is the folder of the SQLite file.
	DataDir string
	// Synchronous is SQLite's durability: "full" (the default; a commit
	// survives power loss) or "normal" (a commit survives a process crash;
	// an OS crash may lose the latest ones). PostgreSQL ignores it.
	Synchronous string
}

// DB is an open database with its schema up to date.
type DB struct {
	dialect Dialect
	reader  *sql.DB
	writer  *sql.DB
	group   *groupWriter

	mu        sync.Mutex
	atClose   []func() // run first by Close, newest first
	closeOnce sync.Once
	closeErr  error
}

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("database closed")

// Open opens the database the options name and applies the migrations it
// has not seen yet. It returns an error naming the file or the server when
// it cannot be used, or when its schema is newer than this program.
func Open(ctx context.Context, o Options) (*DB, error) {
	if isPostgresDSN(o.DSN) {
		return openPostgres(ctx, o.DSN)
	}
	return openSQLite(ctx, o.DataDir, o.Synchronous)
}

func isPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Dialect returns which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Reader returns the pool for reads. On SQLite it is read-only.
func (db *DB) Reader() *sql.DB { return db.reader }

// Writer returns the pool writes use. On SQLite it has one connection,
// owned by Write while a group commits: use Write for changes, and never
// use Writer inside a Write function (it would wait for itself).
func (db *DB) Writer() *sql.DB { return db.writer }

// Write runs fn in a transaction and commits it. It returns fn's error,
// the commit's error, or ctx's error if ctx ends before the work started;
// once it started, Write waits for the outcome, so a nil error always
// means the change is durable. fn may run more than once (on SQLite, after
// another request of its group failed), so it must not keep state from an
// earlier run.
func (db *DB) Write(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	if db.group != nil {
		return db.group.write(ctx, fn)
	}
	return writeTx(ctx, db.writer, fn)
}

// WriteAlone runs fn in a transaction of its own and commits it, outside
// the groups Write makes, for a caller that gathers concurrent writes into
// one statement itself. On SQLite it waits for the only writer connection
// like Write; fn runs once.
func (db *DB) WriteAlone(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return writeTx(ctx, db.writer, fn)
}

// writeTx runs fn in one plain transaction.
func writeTx(ctx context.Context, pool *sql.DB, fn func(ctx context.Context, tx *sql.Tx) error) error {
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()

	if err := fn(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.reader.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping %s: %w", db.dialect, err)
	}
	return nil
}

// Close stops the SQLite writer after its current group, checkpoints the
// WAL into the main file and closes the pools. Calling it again returns
// the first result.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.mu.Lock()
		stops := db.atClose
		db.mu.Unlock()
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
		if db.group != nil {
			db.group.stop()
		}
		if db.dialect == SQLite {
			_, _ = db.writer.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		}
		db.closeErr = errors.Join(db.reader.Close(), closeIfOther(db.writer, db.reader))
	})
	return db.closeErr
}

// onClose makes Close run stop before it closes the database, for the
// workers of stores built on it.
func (db *DB) onClose(stop func()) {
	db.mu.Lock()
	db.atClose = append(db.atClose, stop)
	db.mu.Unlock()
}

// closeIfOther closes w unless it is the same pool as r.
func closeIfOther(w, r *sql.DB) error {
	if w == r {
		return nil
	}
	return w.Close()
}
