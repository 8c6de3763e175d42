package handoff

import (
	"context"
	"fmt"
	"time"
)

// Accept gives a waiting conversation to the agent who picked it in the
// console. Of several agents accepting the same conversation at once,
// exactly one gets it; the others get ErrTaken. It also returns
// ErrNotFound for an unknown conversation or agent, ErrUnavailable when
// the agent is not ready or not connected, ErrAtCapacity when they hold
// their maximum, and ErrNotInGroup when the conversation's group is not
// theirs and they are not a supervisor.
func (d *Desk) Accept(ctx context.Context, agentID, conversationID string) (Entry, error) {
	var out Entry
	err := retry(func() error {
		e, err := d.store.Entry(ctx, conversationID)
		if err != nil {
			return fmt.Errorf("accept %s: %w", conversationID, err)
		}
		if e.Status != StatusWaiting {
			return fmt.Errorf("accept %s: %w", conversationID, ErrTaken)
		}
		a, err := d.store.Agent(ctx, agentID)
		if err != nil {
			return fmt.Errorf("accept %s: %w", conversationID, err)
		}
		if err := canHold(a, e.Group); err != nil {
			return fmt.Errorf("accept %s: %w", conversationID, err)
		}
		out, err = d.assign(ctx, e, a)
		return err
	})
	if err == nil {
		d.log.Info("conversation accepted", "conversation", conversationID, "agent", agentID)
	}
	return out, err
}

// canHold says why the agent may not take a new conversation of the group
// by their own choice or by transfer.
func canHold(a Agent, group string) error {
	switch {
	case !a.Connected() || (a.State != StateReady && a.State != StateBusy):
		return fmt.Errorf("agent %s is %s: %w", a.ID, a.State, ErrUnavailable)
	case a.Free() == 0:
		return fmt.Errorf("agent %s holds %d: %w", a.ID, len(a.Conversations), ErrAtCapacity)
	case !a.mayTake(group):
		return fmt.Errorf("agent %s, group %q: %w", a.ID, group, ErrNotInGroup)
	}
	return nil
}

// assign stores a waiting entry as held by the agent, both read at the
// versions they carry, and returns the entry as stored.
func (d *Desk) assign(ctx context.Context, e Entry, a Agent) (Entry, error) {
	e, a = assigned(e, a, d.now())
	if err := d.store.Commit(ctx, Batch{Put: []Entry{e}, Agents: []Agent{a}}); err != nil {
		return Entry{}, fmt.Errorf("assign %s to %s: %w", e.ConversationID, a.ID, err)
	}
	e.Version++
	return e, nil
}

// assigned returns the entry and the agent after the agent takes it.
func assigned(e Entry, a Agent, now time.Time) (Entry, Agent) {
	e.Status, e.AgentID, e.AssignedAt, e.Head = StatusAssigned, a.ID, now, false
	a = a.clone()
	a.Conversations = append(a.Conversations, e.ConversationID)
	a.AvailableSince = now
	a.settle(now)
	return e, a
}
