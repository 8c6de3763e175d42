package handoff

import (
	"context"
	"fmt"
	"time"
)

// Disconnect records that an agent's console went away. The agent keeps
// their conversations, and gets no new ones, for the configured grace
// period; if they do not reconnect in time, Sweep sends their
// conversations back to the head of the queue and sets them offline. It
// returns ErrNotFound for an unknown agent.
func (d *Desk) Disconnect(ctx context.Context, agentID string) (Agent, error) {
	var out Agent
	err := retry(func() error {
		a, err := d.store.Agent(ctx, agentID)
		if err != nil {
			return fmt.Errorf("disconnect agent %s: %w", agentID, err)
		}
		if !a.Connected() || (a.State == StateOffline && len(a.Conversations) == 0) {
			out = a
			return nil
		}
		a.DisconnectedAt = d.now()
		if err := d.store.Commit(ctx, Batch{Agents: []Agent{a}}); err != nil {
			return fmt.Errorf("disconnect agent %s: %w", agentID, err)
		}
		a.Version++
		out = a
		d.log.Info("agent disconnected", "agent", agentID, "held", len(a.Conversations))
		return nil
	})
	return out, err
}

// Reconnect records that a disconnected agent's console is back. Within
// the grace period they carry on as before; after it, their conversations
// go back to the queue (if Sweep has not done so already) and they come
// back offline. It returns ErrNotFound for an unknown agent.
func (d *Desk) Reconnect(ctx context.Context, agentID string) (Agent, error) {
	var out Agent
	err := retry(func() error {
		a, err := d.store.Agent(ctx, agentID)
		if err != nil {
			return fmt.Errorf("reconnect agent %s: %w", agentID, err)
		}
		if a.Connected() {
			out = a
			return nil
		}
		if d.graceOver(a, d.now()) {
			out, err = d.expire(ctx, a)
			return err
		}
		a.DisconnectedAt = time.Time{}
		if err := d.store.Commit(ctx, Batch{Agents: []Agent{a}}); err != nil {
			return fmt.Errorf("reconnect agent %s: %w", agentID, err)
		}
		a.Version++
		out = a
		d.log.Info("agent reconnected", "agent", agentID)
		return nil
	})
	return out, err
}

// graceOver reports whether a disconnected agent's grace period is over.
func (d *Desk) graceOver(a Agent, now time.Time) bool {
	return !a.Connected() && now.Sub(a.DisconnectedAt) >= d.cfg.Grace
}

// expire sends the conversations of an agent who did not come back to the
// head of the queue and sets the agent offline, all in one write.
func (d *Desk) expire(ctx context.Context, a Agent) (Agent, error) {
	now := d.now()
	var b Batch
	for _, id := range a.Conversations {
		e, err := d.store.Entry(ctx, id)
		if err != nil {
			return Agent{}, fmt.Errorf("requeue %s of agent %s: %w", id, a.ID, err)
		}
		if e.Status == StatusAssigned && e.AgentID == a.ID {
			b.Put = append(b.Put, requeued(e, now))
		}
	}
	a.Conversations = nil
	a.DisconnectedAt = time.Time{}
	a.enter(StateOffline, now)
	b.Agents = []Agent{a}
	if err := d.store.Commit(ctx, b); err != nil {
		return Agent{}, fmt.Errorf("expire agent %s: %w", a.ID, err)
	}
	a.Version++
	d.log.Info("agent gone, conversations requeued", "agent", a.ID, "requeued", len(b.Put))
	return a, nil
}

// requeued returns an entry an agent held as waiting again, at the head
// of its priority.
func requeued(e Entry, now time.Time) Entry {
	e.Status, e.AgentID, e.AssignedAt = StatusWaiting, "", time.Time{}
	e.Head, e.WaitingSince = true, now
	return e
}
