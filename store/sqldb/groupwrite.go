package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// txFunc is one write request, run inside its group's transaction.
type txFunc func(ctx context.Context, tx *sql.Tx) error

type writeReq struct {
	ctx  context.Context
	fn   txFunc
	done chan error
}

// maxGroup is the most requests committed in one transaction.
const maxGroup = 128

// groupTxTimeout bounds one group's transaction, from taking a connection
// to the commit.
const groupTxTimeout = 30 * time.Second

// groupWriter commits concurrent write requests together. Each of its
// workers takes one request, gathers those already waiting, and commits
// them in one transaction, so many callers share one commit: one fsync on
// SQLite, one WAL flush and two round trips fewer per request on
// PostgreSQL. SQLite has one worker, owning the only writer connection.
type groupWriter struct {
	db      *sql.DB
	writes  chan writeReq
	closing chan struct{}
	done    sync.WaitGroup
}

func newGroupWriter(db *sql.DB, workers int) *groupWriter {
	g := &groupWriter{db: db, writes: make(chan writeReq), closing: make(chan struct{})}
	for range max(workers, 1) {
		g.done.Go(g.run)
	}
	return g
}

// stop ends the workers after their current groups.
func (g *groupWriter) stop() {
	close(g.closing)
	g.done.Wait()
}

// write queues fn and waits until its group has committed. It returns
// fn's error, the commit's error, or ctx's error if ctx ends before the
// request was taken; after that, the commit's outcome is awaited, so the
// caller always learns whether its write is durable.
func (g *groupWriter) write(ctx context.Context, fn txFunc) error {
	req := writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case g.writes <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-g.closing:
		return ErrClosed
	}
	return <-req.done
}

func (g *groupWriter) run() {
	Gather(g.writes, g.closing, maxGroup, g.commit)
}

// commit commits the group in one transaction. If any request fails, the
// transaction is rolled back and each request runs again in its own, so
// one failure never undoes the others.
func (g *groupWriter) commit(group []writeReq) {
	results := make([]error, len(group))
	if len(group) > 1 && g.runTx(group, results) == nil {
		finish(group, results)
		return
	}
	for i := range group {
		if err := g.runTx(group[i:i+1], results[i:i+1]); results[i] == nil {
			results[i] = err
		}
	}
	finish(group, results)
}

// runTx runs the requests in one transaction and commits it when every
// request succeeded. It returns the first failure, after rolling back.
func (g *groupWriter) runTx(group []writeReq, results []error) error {
	// Bounded, so a pool with no free connection or a stalled server fails
	// the group (its callers learn nothing was stored) rather than holding
	// every later write behind it.
	ctx, cancel := context.WithTimeout(context.Background(), groupTxTimeout)
	defer cancel()
	tx, err := g.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	for i, req := range group {
		if results[i] = req.ctx.Err(); results[i] == nil {
			results[i] = req.fn(req.ctx, tx)
		}
		if results[i] != nil {
			_ = tx.Rollback()
			return results[i]
		}
	}
	if err := tx.Commit(); err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// finish reports each request's result.
func finish(group []writeReq, results []error) {
	for i, req := range group {
		req.done <- results[i]
	}
}
