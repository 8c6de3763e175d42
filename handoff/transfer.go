package handoff

import (
	"context"
	"fmt"
)

// Target is where a transfer sends a conversation: to an agent when
// AgentID is set, otherwise back to the queue for a skill group (empty for
// any agent).
type Target struct {
	// AgentID is the agent to hand the conversation to.
	AgentID string
	// Group is the skill group to queue it for when AgentID is empty.
	Group string
}

// Transfer hands a conversation the agent holds to another agent, or back
// to the queue for a group, with a note for whoever takes it next. A
// conversation sent to a group goes to the head of its priority, as the
// subscriber has already waited once. The receiving agent must be able
// to accept it (see Accept). It returns ErrNotAssigned when the agent
// does not hold the conversation, ErrInvalid for a transfer to oneself,
// and the receiving agent's ErrUnavailable, ErrAtCapacity or
// ErrNotInGroup.
func (d *Desk) Transfer(ctx context.Context, conversationID, agentID string, to Target,
	note string) (Entry, error) {
	if to.AgentID == agentID {
		return Entry{}, fmt.Errorf("transfer %s to the agent who holds it: %w",
			conversationID, ErrInvalid)
	}
	var out Entry
	err := retry(func() error {
		e, from, err := d.held(ctx, conversationID, agentID)
		if err != nil {
			return fmt.Errorf("transfer %s: %w", conversationID, err)
		}
		e.Note = note
		from.Conversations = from.without(conversationID)
		from.settle(d.now())
		if to.AgentID == "" {
			out, err = d.toGroup(ctx, e, from, to.Group)
		} else {
			out, err = d.toAgent(ctx, e, from, to.AgentID)
		}
		return err
	})
	if err == nil {
		d.log.Info("conversation transferred", "conversation", conversationID,
			"from", agentID, "to_agent", to.AgentID, "to_group", to.Group)
	}
	return out, err
}

// held returns a conversation's entry and the agent who holds it, or
// ErrNotAssigned when that agent does not hold it.
func (d *Desk) held(ctx context.Context, conversationID, agentID string) (Entry, Agent, error) {
	e, err := d.store.Entry(ctx, conversationID)
	if err != nil {
		return Entry{}, Agent{}, err
	}
	if e.Status != StatusAssigned || e.AgentID != agentID {
		return Entry{}, Agent{}, fmt.Errorf("agent %s: %w", agentID, ErrNotAssigned)
	}
	a, err := d.store.Agent(ctx, agentID)
	if err != nil {
		return Entry{}, Agent{}, err
	}
	return e, a, nil
}

// toGroup puts a conversation back in the queue for a group.
func (d *Desk) toGroup(ctx context.Context, e Entry, from Agent, group string) (Entry, error) {
	e = requeued(e, d.now())
	e.Group = group
	if err := d.store.Commit(ctx, Batch{Put: []Entry{e}, Agents: []Agent{from}}); err != nil {
		return Entry{}, err
	}
	e.Version++
	return e, nil
}

// toAgent hands a conversation from one agent to another.
func (d *Desk) toAgent(ctx context.Context, e Entry, from Agent, toID string) (Entry, error) {
	to, err := d.store.Agent(ctx, toID)
	if err != nil {
		return Entry{}, err
	}
	if err := canHold(to, e.Group); err != nil {
		return Entry{}, err
	}
	e, to = assigned(e, to, d.now())
	if err := d.store.Commit(ctx, Batch{Put: []Entry{e}, Agents: []Agent{from, to}}); err != nil {
		return Entry{}, err
	}
	e.Version++
	return e, nil
}
