package handoff

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Config holds the desk's limits.
type Config struct {
	// WaitLimit is how long a conversation may wait in the queue before
	// Sweep takes it out, so the caller can offer a ticket or a call
	// back. Zero means no limit.
	WaitLimit time.Duration
	// WrapUp is how long an agent stays in wrap-up after a close. Zero
	// returns them to ready at once.
	WrapUp time.Duration
	// Grace is how long a disconnected agent keeps their conversations.
	Grace time.Duration
	// DefaultHandleTime is the handling time the wait estimate assumes
	// before any conversation was closed; zero means 5 minutes.
	DefaultHandleTime time.Duration
	// Smoothing is the weight of the latest close in the moving average
	// of handling times, above 0 and at most 1; zero means 0.2.
	Smoothing float64
	// Hours are the desk's business hours; nil means always open.
	Hours *Hours
}

// Default values for the zero fields of Config.
const (
	defaultHandleTime = 5 * time.Minute
	defaultSmoothing  = 0.2
)

// validate fills defaults and says which limit is wrong.
func (c *Config) validate() error {
	if c.DefaultHandleTime == 0 {
		c.DefaultHandleTime = defaultHandleTime
	}
	if c.Smoothing == 0 {
		c.Smoothing = defaultSmoothing
	}
	switch {
	case c.WaitLimit < 0:
		return fmt.Errorf("wait limit %v: want zero or more", c.WaitLimit)
	case c.WrapUp < 0:
		return fmt.Errorf("wrap-up %v: want zero or more", c.WrapUp)
	case c.Grace < 0:
		return fmt.Errorf("grace %v: want zero or more", c.Grace)
	case c.DefaultHandleTime < 0:
		return fmt.Errorf("default handle time %v: want more than zero", c.DefaultHandleTime)
	case c.Smoothing < 0 || c.Smoothing > 1:
		return fmt.Errorf("smoothing %v: want a weight above 0 and at most 1", c.Smoothing)
	}
	return nil
}

// Desk applies the rules of the agent queue to the state in a Store. It
// is safe for concurrent use, and several desks in several processes may
// share one Store.
type Desk struct {
	store Store
	now   func() time.Time
	cfg   Config
	log   *slog.Logger
}

// NewDesk builds a desk on a store, with a clock (nil means time.Now), the
// limits and a logger (nil discards). It returns an error naming the
// limit that is out of range.
func NewDesk(s Store, now func() time.Time, c Config, log *slog.Logger) (*Desk, error) {
	if s == nil {
		return nil, errors.New("handoff desk needs a store")
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("handoff config: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Desk{store: s, now: now, cfg: c, log: log}, nil
}

// attempts bounds how often an operation rereads and tries again after a
// write that lost a race.
const attempts = 8

// retry runs op again while it fails with ErrConflict, a few times.
func retry(op func() error) error {
	var err error
	for range attempts {
		if err = op(); !errors.Is(err, ErrConflict) {
			return err
		}
	}
	return err
}
