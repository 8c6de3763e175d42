package tickets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"
)

// EventHandler handles one event for a consumer. It returns nil once the
// event is dealt with for good; any error makes the relay try the same
// event again later. Errors are logged, so they must carry no personal data.
type EventHandler func(ctx context.Context, e Event) error

// RelayConfig is what a Relay needs. Zero durations and sizes take the
// defaults named on each field.
type RelayConfig struct {
	// Store holds the pending events.
	Store Store
	// Consumer is whose events are relayed, such as ConsumerCRM.
	Consumer string
	// Handler receives each event.
	Handler EventHandler
	// Batch is how many events are read from the store at once; 50.
	Batch int
	// Poll is how often the store is looked at without a Kick; 10s.
	Poll time.Duration
	// MinBackoff is the first wait after a failure; 1s.
	MinBackoff time.Duration
	// MaxBackoff caps the wait after repeated failures; 5min.
	MaxBackoff time.Duration
	// Log receives logs with ids only.
	Log *slog.Logger
}

// Relay defaults.
const (
	relayBatch      = 50
	relayPoll       = 10 * time.Second
	relayMinBackoff = time.Second
	relayMaxBackoff = 5 * time.Minute
)

// Relay hands one consumer's pending events to a handler, one at a time
// and in Seq order, and marks each one handled once the handler succeeds.
// When the handler fails, the relay stops, waits with exponential backoff
// and jitter, and tries the same event again: a later event never overtakes
// an earlier one, and since events stay in the store until handled, nothing
// is lost across failures or restarts. An event may be handed over more
// than once (when the process stops between handling and marking it), so
// handlers rely on Event.Key to drop repeats.
//
// A Permanent error does not make the relay skip the event: it is logged at
// error level, for an operator to fix its cause, and the event is retried
// at MaxBackoff, still blocking the events behind it.
//
// Known gap: nothing stops two gateway instances sharing one PostgreSQL
// store from relaying the same consumer at once; each event would then be handed
// over twice and their order across instances would be lost. Run one relay
// per consumer until the store offers a lease.
type Relay struct {
	cfg  RelayConfig
	log  *slog.Logger
	kick chan struct{}
}

// NewRelay builds a relay. It returns an error when the store, consumer or
// handler is missing, or when MinBackoff exceeds MaxBackoff.
func NewRelay(c RelayConfig) (*Relay, error) {
	if c.Store == nil || c.Consumer == "" || c.Handler == nil {
		return nil, errors.New("relay: a store, a consumer and a handler are required")
	}
	c = relayDefaults(c)
	if c.MinBackoff > c.MaxBackoff {
		return nil, fmt.Errorf("relay %s: min backoff %s exceeds max backoff %s",
			c.Consumer, c.MinBackoff, c.MaxBackoff)
	}
	log := c.Log.With("component", "relay", "consumer", c.Consumer)
	return &Relay{cfg: c, log: log, kick: make(chan struct{}, 1)}, nil
}

func relayDefaults(c RelayConfig) RelayConfig {
	if c.Batch <= 0 {
		c.Batch = relayBatch
	}
	if c.Poll <= 0 {
		c.Poll = relayPoll
	}
	if c.MinBackoff <= 0 {
		c.MinBackoff = relayMinBackoff
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = relayMaxBackoff
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return c
}

// Kick wakes the relay to look for new events now. It never blocks. While
// the relay is backing off after a failure, the kick is kept for when the
// wait ends, so new events do not hammer a consumer that is down.
func (r *Relay) Kick() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Run relays events until ctx ends. Call it once per relay.
func (r *Relay) Run(ctx context.Context) {
	r.log.Info("relay started")
	defer r.log.Info("relay stopped")

	failures := 0
	for {
		err := r.drain(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			failures = 0
			if !r.idle(ctx) {
				return
			}
			continue
		}

		failures++
		wait := r.backoff(failures, err)
		r.report(err, failures, wait)
		if !pause(ctx, wait) {
			return
		}
	}
}

// drain hands over pending events until none are left or one fails.
func (r *Relay) drain(ctx context.Context) error {
	for {
		events, err := r.cfg.Store.PendingEvents(ctx, r.cfg.Consumer, r.cfg.Batch)
		if err != nil {
			return fmt.Errorf("read pending events: %w", err)
		}
		if len(events) == 0 {
			return nil
		}
		for _, e := range events {
			if err := r.handle(ctx, e); err != nil {
				return err
			}
		}
	}
}

// handle hands one event over and marks it handled.
func (r *Relay) handle(ctx context.Context, e Event) error {
	if err := r.cfg.Handler(ctx, e); err != nil {
		return &relayError{seq: e.Seq, typ: e.Type, ticket: e.Ticket.ID, err: err}
	}

	if err := r.cfg.Store.EventsHandled(ctx, r.cfg.Consumer, []int64{e.Seq}); err != nil {
		return fmt.Errorf("mark event %d handled: %w", e.Seq, err)
	}
	r.log.Debug("event relayed", "seq", e.Seq, "type", e.Type, "ticket", e.Ticket.ID)
	return nil
}

// idle waits for a kick or the poll interval; false means ctx ended.
func (r *Relay) idle(ctx context.Context) bool {
	t := time.NewTimer(r.cfg.Poll)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-r.kick:
		return true
	case <-t.C:
		return true
	}
}

// pause waits for d; false means ctx ended first.
func pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// backoff is the wait after the given number of failures in a row: it
// doubles from MinBackoff up to MaxBackoff, drawn at random from the upper
// half so that relays restarted together spread out. A permanent failure
// waits MaxBackoff; a failure that names its own delay waits at least that
// long, up to MaxBackoff.
func (r *Relay) backoff(failures int, err error) time.Duration {
	lo, hi := r.cfg.MinBackoff, r.cfg.MaxBackoff
	if IsPermanent(err) {
		return hi
	}

	d := lo
	for i := 1; i < failures && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	d = d/2 + rand.N(d/2+1)
	d = max(d, lo, RetryDelay(err))
	return min(d, hi)
}

// report logs a failure: a permanent one at error level, as someone must
// act, and any other as a warning.
func (r *Relay) report(err error, failures int, wait time.Duration) {
	attrs := []any{"failures", failures, "retry_in", wait.Round(time.Millisecond), "error", err}
	var re *relayError
	if errors.As(err, &re) {
		attrs = append(attrs, "seq", re.seq, "type", re.typ, "ticket", re.ticket)
	}
	if IsPermanent(err) {
		r.log.Error("event rejected; it is kept and retried until its cause is fixed", attrs...)
		return
	}
	r.log.Warn("relay failed; will retry", attrs...)
}

// relayError is a handler's failure on one event.
type relayError struct {
	seq    int64
	typ    EventType
	ticket string
	err    error
}

func (e *relayError) Error() string {
	return fmt.Sprintf("handle event %d (%s): %v", e.seq, e.typ, e.err)
}

func (e *relayError) Unwrap() error { return e.err }

// Permanent marks err as a failure that trying again will not fix, such as
// a request the consumer rejects as malformed. The relay still keeps the
// event (see Relay). Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err or an error it wraps was marked with
// Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return "permanent: " + e.err.Error() }

func (e *permanentError) Unwrap() error { return e.err }

// RetryAfter marks err as a failure the consumer asked to be retried no
// sooner than after d, as an HTTP Retry-After does. The relay waits at
// least that long, but never more than its MaxBackoff.
func RetryAfter(err error, d time.Duration) error {
	if err == nil {
		return nil
	}
	return &delayError{err: err, delay: d}
}

// RetryDelay returns the delay asked for with RetryAfter, or 0.
func RetryDelay(err error) time.Duration {
	var d *delayError
	if errors.As(err, &d) {
		return d.delay
	}
	return 0
}

type delayError struct {
	err   error
	delay time.Duration
}

func (e *delayError) Error() string { return e.err.Error() }

func (e *delayError) Unwrap() error { return e.err }
