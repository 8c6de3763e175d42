package redisstore

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// releaseTimeout bounds the Release a Singleton sends when its job ends.
const releaseTimeout = time.Second

// Singleton runs a job on one instance at a time. Every instance runs the
// same Singleton on the same key; the one that takes the lease runs the job,
// and when it stops or dies another takes over once the lease runs out.
//
// The job must return soon after its context is cancelled: the lease is
// checked every third of its ttl, and a job still running after the lease
// has expired may overlap with the next leader.
type Singleton struct {
	lease   *Lease
	ttl     time.Duration
	log     *slog.Logger
	leading atomic.Bool
}

// NewSingleton returns a Singleton guarded by a lease on key lasting ttl.
// A nil log means slog.Default(). NewSingleton panics if ttl is under a
// millisecond.
func NewSingleton(rdb redis.UniversalClient, key string, ttl time.Duration, log *slog.Logger) *Singleton {
	if log == nil {
		log = slog.Default()
	}
	return &Singleton{lease: NewLease(rdb, key, ttl), ttl: ttl, log: log}
}

// Run tries to take the lease every half ttl until ctx ends. Once it has
// the lease it runs job, renewing the lease every third of the ttl; the
// job's context is cancelled when a renewal fails or finds the lease lost,
// or when ctx ends. When job returns, Run releases the lease and goes back
// to trying. Redis errors are logged as warnings and retried.
func (s *Singleton) Run(ctx context.Context, job func(ctx context.Context)) {
	for ctx.Err() == nil {
		if s.tryAcquire(ctx) {
			s.lead(ctx, job)
		}
		sleep(ctx, s.ttl/2)
	}
}

// Leading reports whether this instance holds the lease and runs the job
// now.
func (s *Singleton) Leading() bool {
	return s.leading.Load()
}

func (s *Singleton) tryAcquire(ctx context.Context) bool {
	_, ok, err := s.lease.Acquire(ctx)
	if err != nil && ctx.Err() == nil {
		s.log.Warn("redisstore: could not try the singleton lease", "key", s.lease.key, "err", err)
	}
	return ok
}

// lead runs job while the lease holds, then releases it.
func (s *Singleton) lead(ctx context.Context, job func(ctx context.Context)) {
	jobCtx, cancel := context.WithCancel(ctx)
	renewed := make(chan struct{})
	s.leading.Store(true)
	go s.keepAlive(jobCtx, cancel, renewed)
	defer s.stepDown(ctx, cancel, renewed)
	job(jobCtx)
}

// keepAlive renews the lease until ctx ends, and cancels ctx when the lease
// cannot be renewed.
func (s *Singleton) keepAlive(ctx context.Context, cancel context.CancelFunc, done chan<- struct{}) {
	defer close(done)
	ticker := time.NewTicker(s.ttl / 3)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		if !s.renew(ctx) {
			s.leading.Store(false)
			cancel()
			return
		}
	}
}

// renew extends the lease, giving up after a third of the ttl so that the
// job is stopped before the lease can expire.
func (s *Singleton) renew(ctx context.Context) bool {
	renewCtx, cancel := context.WithTimeout(ctx, s.ttl/3)
	defer cancel()
	held, err := s.lease.Renew(renewCtx)
	switch {
	case ctx.Err() != nil:
		// The job is over; stepDown releases the lease.
	case err != nil:
		s.log.Warn("redisstore: could not renew the singleton lease; stopping the job", "key", s.lease.key, "err", err)
	case !held:
		s.log.Warn("redisstore: singleton lease lost; stopping the job", "key", s.lease.key)
	}
	return held
}

// stepDown stops the renewals and releases the lease once the job is over.
func (s *Singleton) stepDown(ctx context.Context, cancel context.CancelFunc, renewed <-chan struct{}) {
	s.leading.Store(false)
	cancel()
	<-renewed
	ctx, cancelRelease := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancelRelease()
	if err := s.lease.Release(ctx); err != nil {
		s.log.Warn("redisstore: could not release the singleton lease", "key", s.lease.key, "err", err)
	}
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
	case <-timer.C:
	}
}
