package dialog

import (
	"context"
	"log/slog"
	"time"
)

// Sweeper closes idle conversations and deletes transcripts older than the
// retention period, on a timer.
type Sweeper struct {
	engine    *Engine
	store     Store
	clock     Clock
	log       *slog.Logger
	idle      time.Duration
	retention time.Duration
}

// sweepBatch is how many idle conversations one pass closes at most.
const sweepBatch = 200

// NewSweeper builds a sweeper that closes conversations idle for longer
// than idle and deletes what is older than retention.
func NewSweeper(e *Engine, idle, retention time.Duration) *Sweeper {
	return &Sweeper{
		engine: e, store: e.store, clock: e.clock, log: e.log,
		idle: idle, retention: retention,
	}
}

// Run sweeps every interval until ctx ends.
func (s *Sweeper) Run(ctx context.Context, interval time.Duration) {
	Every(ctx, interval, func() { s.Sweep(ctx) })
}

// Sweep runs one pass: it closes idle conversations and applies retention.
func (s *Sweeper) Sweep(ctx context.Context) {
	now := s.clock.Now()
	s.closeIdle(ctx, now.Add(-s.idle))

	n, err := s.store.DeleteBefore(ctx, now.Add(-s.retention))
	if err != nil {
		s.log.Warn("retention sweep failed", "error", err)
		return
	}
	if n > 0 {
		s.log.Info("retention deleted old transcript messages", "messages", n)
	}
}

func (s *Sweeper) closeIdle(ctx context.Context, before time.Time) {
	idle, err := s.store.IdleConversations(ctx, before, sweepBatch)
	if err != nil {
		s.log.Warn("idle sweep failed", "error", err)
		return
	}
	for _, c := range idle {
		if err := s.engine.Expire(ctx, c.Channel, c.Address, before); err != nil {
			s.log.Warn("could not close idle conversation", "conversation", c.ID, "error", err)
		}
	}
}
