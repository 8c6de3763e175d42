package convdb

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"hotline/store/sqldb"
)

// Store is the conversation store, on SQLite or PostgreSQL.
type Store struct {
	db    *sqldb.DB
	owned bool // Close closes db too
	stmts *sqldb.Statements
	batch *commitBatcher // on PostgreSQL: commits concurrent changes together

	closeOnce sync.Once
	closeErr  error
}

// Options tune the store.
type Options struct {
	// Synchronous is "full" (a commit survives power loss) or "normal" (a
	// commit survives a process crash; an OS crash may lose the latest).
	Synchronous string
}

// FileName is the database file's name inside the data directory.
const FileName = sqldb.FileName

// New returns the conversation store of an open database, SQLite or
// PostgreSQL. Close leaves db open.
func New(ctx context.Context, db *sqldb.DB) (*Store, error) {
	stmts, err := db.Prepare(ctx, writerStatements...)
	if err != nil {
		return nil, fmt.Errorf("conversation store: %w", err)
	}
	s := &Store{db: db, stmts: stmts}
	if db.Dialect() == sqldb.Postgres {
		s.batch = newCommitBatcher(db)
	}
	return s, nil
}

// Open opens (creating if needed) the SQLite database in dir, brings its
// schema up to date and returns its conversation store; Close closes the
// database too. It returns an error naming the path when the folder or
// the file cannot be used.
func Open(ctx context.Context, dir string, o Options) (*Store, error) {
	db, err := sqldb.Open(ctx, sqldb.Options{DataDir: dir, Synchronous: o.Synchronous})
	if err != nil {
		return nil, err
	}
	s, err := New(ctx, db)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	s.owned = true
	return s, nil
}

// DB returns the database the store works on.
func (s *Store) DB() *sqldb.DB { return s.db }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.Ping(ctx); err != nil {
		return fmt.Errorf("ping store: %w", err)
	}
	return nil
}

// Close releases the store's statements and, when Open made the
// database, stops its writer after the current group, checkpoints the WAL
// and closes it.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		if s.batch != nil {
			s.batch.stop()
		}
		s.stmts.Close()
		if s.owned {
			s.closeErr = s.db.Close()
		}
	})
	return s.closeErr
}

// write runs fn in the database's group-committed write path.
func (s *Store) write(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.db.Write(ctx, fn)
}
