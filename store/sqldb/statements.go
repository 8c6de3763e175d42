package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// Statements runs queries written with ? placeholders, prepared once on
// SQLite, where parsing a statement costs more than running it. The
// writer's statements are prepared when the set is made, because the only
// writer connection is busy inside transactions later; reads are prepared
// on first use. On PostgreSQL nothing is prepared here: pgx already
// prepares each query once per connection and reuses it.
type Statements struct {
	db     *DB
	mu     sync.Mutex
	writes map[string]*sql.Stmt
	reads  map[string]*sql.Stmt
}

// Prepare makes a statement set and prepares the given write queries. Call
// it outside any Write function. It returns an error naming a query that
// does not prepare.
func (db *DB) Prepare(ctx context.Context, writes ...string) (*Statements, error) {
	s := &Statements{db: db, writes: map[string]*sql.Stmt{}, reads: map[string]*sql.Stmt{}}
	if db.dialect != SQLite {
		return s, nil
	}
	for _, q := range writes {
		st, err := db.writer.PrepareContext(ctx, q)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("prepare %.40q: %w", q, err)
		}
		s.writes[q] = st
	}
	return s, nil
}

// Exec runs a query inside a Write transaction, prepared if it was given
// to Prepare.
func (s *Statements) Exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := s.writes[query]; st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, s.db.Rebind(query), args...)
}

// QueryTx runs a query returning rows inside a Write transaction.
func (s *Statements) QueryTx(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	if st := s.writes[query]; st != nil {
		return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, s.db.Rebind(query), args...)
}

// QueryRow runs a read on the reader pool.
func (s *Statements) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := s.read(ctx, query)
	if err != nil || st == nil {
		// Unprepared, which also reports a preparing error the same way.
		return s.db.reader.QueryRowContext(ctx, s.db.Rebind(query), args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// Query runs a read returning rows on the reader pool.
func (s *Statements) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := s.read(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return s.db.reader.QueryContext(ctx, s.db.Rebind(query), args...)
	}
	return st.QueryContext(ctx, args...)
}

// read returns the prepared read statement for query, preparing it once;
// nil on PostgreSQL.
func (s *Statements) read(ctx context.Context, query string) (*sql.Stmt, error) {
	if s.db.dialect != SQLite {
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.reads[query]; ok {
		return st, nil
	}
	st, err := s.db.reader.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	s.reads[query] = st
	return st, nil
}

// Close releases the prepared statements.
func (s *Statements) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.writes {
		_ = st.Close()
	}
	for _, st := range s.reads {
		_ = st.Close()
	}
	s.writes, s.reads = map[string]*sql.Stmt{}, map[string]*sql.Stmt{}
}
