package redisstore

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const singletonTTL = 300 * time.Millisecond

// logBuffer collects log output from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func bufferLog() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	return slog.New(slog.NewTextHandler(b, nil)), b
}

// instance is one running Singleton with the bookkeeping of its job.
type instance struct {
	s      *Singleton
	cancel context.CancelFunc
	done   chan struct{}
	ticks  atomic.Int64
}

// start runs s with job until stop is called.
func start(s *Singleton, job func(ctx context.Context, in *instance)) *instance {
	ctx, cancel := context.WithCancel(context.Background())
	in := &instance{s: s, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(in.done)
		s.Run(ctx, func(ctx context.Context) { job(ctx, in) })
	}()
	return in
}

// stop cancels the instance and waits for Run to return.
func (in *instance) stop(t *testing.T) {
	t.Helper()
	in.cancel()
	select {
	case <-in.done:
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

// exclusiveJob counts ticks while it runs and records in overlaps every
// moment when more than one job ran.
func exclusiveJob(running, overlaps *atomic.Int32) func(ctx context.Context, in *instance) {
	return func(ctx context.Context, in *instance) {
		if running.Add(1) > 1 {
			overlaps.Add(1)
		}
		defer running.Add(-1)
		ticker := time.NewTicker(5 * time.Millisecond)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				in.ticks.Add(1)
			}
		}
	}
}

func TestSingletonRunsOnOneInstanceAndHandsOver(t *testing.T) {
	t.Parallel()
	rdb, keys := setup(t)
	key := keys.Tagged("jobs", "sweeper")
	var running, overlaps atomic.Int32
	log, _ := bufferLog()
	a := start(NewSingleton(rdb, key, singletonTTL, log), exclusiveJob(&running, &overlaps))
	b := start(NewSingleton(rdb, key, singletonTTL, log), exclusiveJob(&running, &overlaps))
	defer a.stop(t)
	defer b.stop(t)

	leader, other := waitLeader(t, a, b)
	time.Sleep(singletonTTL * 3 / 2)
	if !leader.s.Leading() || other.s.Leading() || other.ticks.Load() != 0 {
		t.Fatalf("leadership moved while the leader was alive (other ran %d ticks)", other.ticks.Load())
	}
	if leader.ticks.Load() == 0 {
		t.Fatal("the leader's job did not run")
	}

	leader.stop(t)
	expectNotHeldBy(t, rdb, key, leader.s)
	if !eventually(2*singletonTTL, other.s.Leading) {
		t.Fatal("the other instance did not take over")
	}
	if !eventually(time.Second, func() bool { return other.ticks.Load() > 0 }) {
		t.Fatal("the new leader's job did not run")
	}
	other.stop(t)
	if overlaps.Load() != 0 || leader.s.Leading() || other.s.Leading() {
		t.Fatalf("%d overlaps; leading after stop: %v %v", overlaps.Load(), leader.s.Leading(), other.s.Leading())
	}
}

func TestSingletonTakesOverFromACrashedLeader(t *testing.T) {
	t.Parallel()
	rdb, keys := setup(t)
	key := keys.Tagged("jobs", "sweeper")
	doomed := newClient(t)
	crashLog, crashOut := bufferLog()
	frozen := make(chan struct{})
	a := start(NewSingleton(doomed, key, singletonTTL, crashLog), func(context.Context, *instance) {
		<-frozen // a hung process: it ignores its context
	})
	defer a.stop(t)
	defer close(frozen)
	if !eventually(time.Second, a.s.Leading) {
		t.Fatal("the first instance did not lead")
	}
	var running, overlaps atomic.Int32
	log, _ := bufferLog()
	b := start(NewSingleton(rdb, key, singletonTTL, log), exclusiveJob(&running, &overlaps))
	defer b.stop(t)

	time.Sleep(singletonTTL * 3 / 2)
	if b.s.Leading() {
		t.Fatal("took over while the leader was renewing")
	}
	_ = doomed.Close()
	crashed := time.Now()
	if !eventually(2*singletonTTL+200*time.Millisecond, b.s.Leading) {
		t.Fatalf("no takeover %v after the leader lost Redis", time.Since(crashed))
	}
	t.Logf("took over %v after the leader lost Redis", time.Since(crashed))
	if a.s.Leading() {
		t.Fatal("the cut-off instance still believes it leads")
	}
	if !strings.Contains(crashOut.String(), "could not renew") {
		t.Fatalf("no warning about the failed renewal in:\n%s", crashOut)
	}
}

func TestSingletonRetriesAfterRedisErrors(t *testing.T) {
	t.Parallel()
	_, keys := setup(t)
	closed := newClient(t)
	_ = closed.Close()
	log, out := bufferLog()
	var runs atomic.Int32
	in := start(NewSingleton(closed, keys.Tagged("jobs", "x"), 60*time.Millisecond, log), func(context.Context, *instance) {
		runs.Add(1)
	})
	if !eventually(time.Second, func() bool { return strings.Count(out.String(), "could not try") >= 2 }) {
		t.Fatalf("no repeated warnings in:\n%s", out)
	}
	in.stop(t)
	if runs.Load() != 0 || in.s.Leading() {
		t.Fatal("the job ran without the lease")
	}
}

// waitLeader waits for one of a and b to lead and returns it first.
func waitLeader(t *testing.T, a, b *instance) (leader, other *instance) {
	t.Helper()
	if !eventually(time.Second, func() bool { return a.s.Leading() || b.s.Leading() }) {
		t.Fatal("nobody took the lead")
	}
	if a.s.Leading() && b.s.Leading() {
		t.Fatal("both lead")
	}
	if a.s.Leading() {
		return a, b
	}
	return b, a
}

// expectNotHeldBy checks that s released its lease on key.
func expectNotHeldBy(t *testing.T, rdb redis.UniversalClient, key string, s *Singleton) {
	t.Helper()
	value, err := rdb.Get(context.Background(), key).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		t.Fatal(err)
	}
	if strings.HasPrefix(value, s.lease.holder+":") {
		t.Fatal("the stopped instance did not release its lease")
	}
}
