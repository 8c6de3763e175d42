package dialog

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestSerializer_RunsOneKeyInOrder(t *testing.T) {
	s := newSerializer()
	gate := make(chan struct{})
	var mu sync.Mutex
	var got []int
	var running atomic.Int32

	var wg sync.WaitGroup
	wg.Go(func() { _ = s.do(context.Background(), "k", func() { <-gate }) })
	waitQueued(t, s, "k", 1)
	for i := range 50 {
		wg.Go(func() {
			_ = s.do(context.Background(), "k", func() {
				if running.Add(1) > 1 {
					t.Error("two jobs of one key ran at once")
				}
				mu.Lock()
				got = append(got, i)
				mu.Unlock()
				running.Add(-1)
			})
		})
		// The next job is submitted only once this one is in the queue.
		waitQueued(t, s, "k", i+2)
	}
	close(gate)
	wg.Wait()

	if len(got) != 50 {
		t.Fatalf("ran %d jobs, want 50", len(got))
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("order = %v, want 0..49", got)
		}
	}
}

// waitQueued waits until key has n jobs queued or running.
func waitQueued(t *testing.T, s *serializer, key string, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		q := len(s.queues[key])
		s.mu.Unlock()
		if q >= n {
			return
		}
		time.Sleep(50 * time.Microsecond)
	}
	t.Fatalf("key %s never had %d jobs queued", key, n)
}

func TestSerializer_KeysRunInParallel(t *testing.T) {
	s := newSerializer()
	release := make(chan struct{})
	started := make(chan struct{})
	go func() {
		_ = s.do(context.Background(), "a", func() { close(started); <-release })
	}()
	<-started

	done := make(chan struct{})
	go func() {
		_ = s.do(context.Background(), "b", func() {})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("key b waited for key a")
	}
	close(release)
}

func TestSerializer_CallerMayStopWaiting(t *testing.T) {
	s := newSerializer()
	release := make(chan struct{})
	ran := make(chan struct{})
	go func() { _ = s.do(context.Background(), "k", func() { <-release }) }()

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	time.Sleep(10 * time.Millisecond)
	if err := s.do(ctx, "k", func() { close(ran) }); err == nil {
		t.Fatal("do with a cancelled context returned nil while queued")
	}
	close(release)

	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("a queued job was dropped when its caller stopped waiting")
	}
}

func TestSerializer_ForgetsIdleKeys(t *testing.T) {
	s := newSerializer()
	for i := range 100 {
		_ = s.do(context.Background(), string(rune('a'+i%26))+"x", func() {})
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		n := len(s.queues)
		s.mu.Unlock()
		if n == 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("idle keys were kept")
}
