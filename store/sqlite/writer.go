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

// commitGroup runs each request in its own savepoint, so a failing one is
// undone alone, then commits the lot and tells every requester.
func (s *Store) commitGroup(group []writeReq) {
	results := make([]error, len(group))
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		finish(group, results, fmt.Errorf("begin: %w", err))
		return
	}

	for i, req := range group {
		results[i] = runInSavepoint(tx, req)
	}

	if err := tx.Commit(); err != nil {
		_ = tx.Rollback()
		finish(group, results, fmt.Errorf("commit: %w", err))
		return
	}
	finish(group, results, nil)
}

func runInSavepoint(tx *sql.Tx, req writeReq) error {
	if err := req.ctx.Err(); err != nil {
		return err
	}
	if _, err := tx.Exec("SAVEPOINT w"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}

	if err := req.fn(req.ctx, tx); err != nil {
		if _, rerr := tx.Exec("ROLLBACK TO w"); rerr != nil {
			return errors.Join(err, fmt.Errorf("rollback to savepoint: %w", rerr))
		}
		_, _ = tx.Exec("RELEASE w")
		return err
	}
	if _, err := tx.Exec("RELEASE w"); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// finish reports each request's result; a commit failure fails them all.
func finish(group []writeReq, results []error, commitErr error) {
	for i, req := range group {
		if commitErr != nil {
			req.done <- commitErr
			continue
		}
		req.done <- results[i]
	}
}
