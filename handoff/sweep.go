package handoff

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Swept is what a Sweep did.
type Swept struct {
	// Expired are the entries that waited longer than the limit, taken
	// out of the queue so the caller can offer a ticket or a call back.
	Expired []Entry
	// Requeued are the conversations sent back to the queue because
	// their agent did not reconnect within the grace period.
	Requeued []string
	// Offline are the agents set offline for the same reason.
	Offline []string
	// Ready are the agents whose wrap-up ended.
	Ready []string
}

// Sweep acts on the desk's timers as of now: it ends wrap-ups that are
// over, requeues the conversations of agents whose grace period is over,
// and takes out of the queue the entries waiting longer than the limit.
// The caller runs it on a ticker and then Route. A record changed by
// someone else meanwhile is left for the next Sweep.
func (d *Desk) Sweep(ctx context.Context) (Swept, error) {
	var s Swept
	if err := d.sweepAgents(ctx, &s); err != nil {
		return s, err
	}
	if err := d.sweepQueue(ctx, &s); err != nil {
		return s, err
	}
	return s, nil
}

// sweepAgents ends wrap-ups and grace periods.
func (d *Desk) sweepAgents(ctx context.Context, s *Swept) error {
	agents, err := d.store.Agents(ctx)
	if err != nil {
		return fmt.Errorf("sweep agents: %w", err)
	}
	now := d.now()
	for _, a := range agents {
		var err error
		switch {
		case d.graceOver(a, now):
			err = d.sweepGone(ctx, a, s)
		case a.State == StateWrapUp && !now.Before(a.WrapUpUntil):
			err = d.endWrapUp(ctx, a, now, s)
		}
		if err != nil && !errors.Is(err, ErrConflict) {
			return fmt.Errorf("sweep: %w", err)
		}
	}
	return nil
}

// sweepGone requeues the conversations of an agent who did not return.
func (d *Desk) sweepGone(ctx context.Context, a Agent, s *Swept) error {
	held := a.Conversations
	if _, err := d.expire(ctx, a); err != nil {
		return err
	}
	s.Requeued = append(s.Requeued, held...)
	s.Offline = append(s.Offline, a.ID)
	return nil
}

// endWrapUp returns an agent from wrap-up to ready.
func (d *Desk) endWrapUp(ctx context.Context, a Agent, now time.Time, s *Swept) error {
	a.enter(StateReady, now)
	a.settle(now)
	if err := d.store.Commit(ctx, Batch{Agents: []Agent{a}}); err != nil {
		return fmt.Errorf("end wrap-up of agent %s: %w", a.ID, err)
	}
	s.Ready = append(s.Ready, a.ID)
	d.log.Info("agent state", "agent", a.ID, "state", string(a.State))
	return nil
}

// sweepQueue takes out the entries that waited too long.
func (d *Desk) sweepQueue(ctx context.Context, s *Swept) error {
	if d.cfg.WaitLimit == 0 {
		return nil
	}
	queue, err := d.store.Queue(ctx)
	if err != nil {
		return fmt.Errorf("sweep queue: %w", err)
	}
	now := d.now()
	for _, e := range queue {
		if now.Sub(e.WaitingSince) < d.cfg.WaitLimit {
			continue
		}
		err := d.store.Commit(ctx, Batch{Delete: []Entry{e}})
		if errors.Is(err, ErrConflict) {
			continue
		}
		if err != nil {
			return fmt.Errorf("sweep %s: %w", e.ConversationID, err)
		}
		s.Expired = append(s.Expired, e)
		d.log.Info("conversation waited too long", "conversation", e.ConversationID,
			"group", e.Group, "waited", now.Sub(e.WaitingSince))
	}
	return nil
}
