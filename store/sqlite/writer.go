package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// writeFunc is one write request, run inside the group's transaction.
type writeFunc func(ctx context.Context, tx *sql.Tx) error

type writeReq struct {
	ctx  context.Context
	fn   writeFunc
	done chan error
}

// maxGroup is the most requests committed in one transaction.
const maxGroup = 128

var errClosed = errors.New("store closed")

// write queues fn for the writer and waits until its group has committed.
// It returns fn's error, the commit's error, or ctx's error if ctx ends
// before the request was taken (after that, the commit's outcome is
// awaited, so the caller always learns whether its write is durable).
func (s *Store) write(ctx context.Context, fn writeFunc) error {
	req := writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case s.writes <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.closing:
		return errClosed
	}
	return <-req.done
}

// runWriter owns the writer connection: it takes a request, gathers the
// others already waiting, and commits them together.
func (s *Store) runWriter() {
	defer close(s.writerDone)
	group := make([]writeReq, 0, maxGroup)
	for {
		select {
		case req := <-s.writes:
			group = append(group[:0], req)
		case <-s.closing:
			return
		}
	gather:
		for len(group) < maxGroup {
			select {
			case req := <-s.writes:
				group = append(group, req)
			default:
				break gather
			}
		}
		s.commitGroup(group)
	}
}

// commitGroup commits the group in one transaction. If any request fails,
// the transaction is rolled back and each request runs again in its own,
// so one failure never undoes the others. Requests are plain SQL, so
// running one again after a rollback is safe.
func (s *Store) commitGroup(group []writeReq) {
	results := make([]error, len(group))
	if len(group) > 1 && s.runTx(group, results) == nil {
		finish(group, results)
		return
	}
	for i := range group {
		if err := s.runTx(group[i:i+1], results[i:i+1]); results[i] == nil {
			results[i] = err
		}
	}
	finish(group, results)
}

// runTx runs the requests in one transaction and commits it when every
// request succeeded. It returns the first failure, after rolling back.
func (s *Store) runTx(group []writeReq, results []error) error {
	tx, err := s.w.BeginTx(context.Background(), nil)
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
