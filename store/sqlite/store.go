package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	// The pure-Go SQLite driver, registered as "sqlite".
	_ "modernc.org/sqlite"
)

// Store is the embedded SQLite store.
type Store struct {
	w      *sql.DB // one connection, owned by the writer goroutine
	r      *sql.DB // read-only pool
	wstmts *stmtCache
	rstmts *stmtCache

	writes     chan writeReq
	closing    chan struct{}
	writerDone chan struct{}
	closeOnce  sync.Once
}

// Options tune the store.
type Options struct {
	// Synchronous is "full" (a commit survives power loss) or "normal" (a
	// commit survives a process crash; an OS crash may lose the latest).
	Synchronous string
}

// FileName is the database file's name inside the data directory.
const FileName = "hotline.db"

// Open opens (creating if needed) the database in dir and brings its
// schema up to date. It returns an error naming the path when the folder
// or the file cannot be used.
func Open(ctx context.Context, dir string, o Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	sync := "FULL"
	if o.Synchronous == "normal" {
		sync = "NORMAL"
	}
	params := "_journal_mode=WAL&_synchronous=" + sync + "&_busy_timeout=5000&_foreign_keys=on"

	w, err := sql.Open("sqlite", "file:"+path+"?"+params+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	if err := migrate(ctx, w); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}

	r, err := sql.Open("sqlite", "file:"+path+"?"+params+"&_query_only=1")
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)

	s := &Store{
		w: w, r: r,
		wstmts:     newStmtCache(w),
		rstmts:     newStmtCache(r),
		writes:     make(chan writeReq),
		closing:    make(chan struct{}),
		writerDone: make(chan struct{}),
	}
	if err := s.wstmts.prepareAll(ctx, writerStatements); err != nil {
		_ = r.Close()
		_ = w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	go s.runWriter()
	return s, nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping store: %w", err)
	}
	return nil
}

// Close stops the writer after its current group, checkpoints the WAL into
// the main file and closes the database.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.closing)
		<-s.writerDone
		s.wstmts.close()
		s.rstmts.close()
		_, _ = s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		err = errorsJoin(s.r.Close(), s.w.Close())
	})
	return err
}

func errorsJoin(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
