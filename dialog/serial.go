package dialog

import (
	"context"
	"sync"
)

// serializer runs jobs one at a time per key, in the order they were
// submitted, while jobs of different keys run in parallel. A key with no
// queued job costs nothing: its runner goroutine exits and its entry is
// removed.
type serializer struct {
	mu     sync.Mutex
	queues map[string][]*job
}

type job struct {
	fn   func()
	done chan struct{}
}

func newSerializer() *serializer {
	return &serializer{queues: make(map[string][]*job)}
}

// do queues fn behind the key's earlier jobs and waits for it to finish
// or for ctx to end. When ctx ends first, fn still runs in its turn; the
// caller just stops waiting, and do returns ctx's error. A job for an idle
// key runs at once on the caller's goroutine.
func (s *serializer) do(ctx context.Context, key string, fn func()) error {
	j := &job{fn: fn, done: make(chan struct{})}

	s.mu.Lock()
	q, running := s.queues[key]
	s.queues[key] = append(q, j)
	s.mu.Unlock()
	if !running {
		s.runHead(key)
		return nil
	}

	select {
	case <-j.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// runHead runs the job at the head of the key's queue, then hands the
// jobs that queued up meanwhile to a goroutine of their own, so the caller
// is not kept waiting for others' work.
func (s *serializer) runHead(key string) {
	if s.step(key) {
		go s.drain(key)
	}
}

// drain runs the key's jobs until its queue is empty.
func (s *serializer) drain(key string) {
	for s.step(key) {
	}
}

// step runs the head job of the key's queue and removes it. A job stays at
// the head of the queue while it runs, so a key with an entry always has a
// runner. It reports whether more jobs are waiting; when none are, the
// key's entry is gone.
func (s *serializer) step(key string) bool {
	s.mu.Lock()
	j := s.queues[key][0]
	s.mu.Unlock()

	j.fn()
	close(j.done)

	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queues[key]
	q[0] = nil
	if len(q) == 1 {
		delete(s.queues, key)
		return false
	}
	s.queues[key] = q[1:]
	return true
}
