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
// caller just stops waiting, and do returns ctx's error.
func (s *serializer) do(ctx context.Context, key string, fn func()) error {
	j := &job{fn: fn, done: make(chan struct{})}

	s.mu.Lock()
	q, running := s.queues[key]
	s.queues[key] = append(q, j)
	s.mu.Unlock()
	if !running {
		go s.drain(key)
	}

	select {
	case <-j.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// drain runs the key's jobs until its queue is empty. A job stays at the
// head of the queue while it runs, so a key with an entry always has a
// runner.
func (s *serializer) drain(key string) {
	for {
		s.mu.Lock()
		q := s.queues[key]
		if len(q) == 0 {
			delete(s.queues, key)
			s.mu.Unlock()
			return
		}
		j := q[0]
		s.mu.Unlock()

		j.fn()
		close(j.done)

		s.mu.Lock()
		q = s.queues[key]
		q[0] = nil
		s.queues[key] = q[1:]
		s.mu.Unlock()
	}
}
