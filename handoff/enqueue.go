package handoff

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// Request is a conversation the bot hands to the desk.
type Request struct {
	// ConversationID identifies the conversation; required.
	ConversationID string
	// Channel is the channel the subscriber writes on; required.
	Channel Channel
	// Address is where the channel reaches the subscriber. It is personal
	// data and is never logged.
	Address string
	// Group is the skill group; empty means any agent.
	Group string
	// Priority orders the queue: higher first.
	Priority int
	// Reason says why the bot hands the conversation on.
	Reason Reason
	// Note is an optional remark for the agent.
	Note string
	// Details are what the bot collected, for the agent.
	Details []Detail
}

// Enqueue puts a conversation in the queue. When the conversation is
// already on the desk, waiting or with an agent, nothing changes and its
// entry is returned with created false, so a provider's retry never makes
// a second entry. It returns ErrInvalid without a conversation id or a
// channel.
func (d *Desk) Enqueue(ctx context.Context, r Request) (e Entry, created bool, err error) {
	if r.ConversationID == "" || r.Channel == "" {
		return Entry{}, false, fmt.Errorf("enqueue: conversation id and channel are required: %w",
			ErrInvalid)
	}
	err = retry(func() error {
		e, created, err = d.enqueueOnce(ctx, r)
		return err
	})
	if err != nil {
		return Entry{}, false, err
	}
	if created {
		d.log.Info("conversation queued", "conversation", e.ConversationID, "group", e.Group,
			"priority", e.Priority, "reason", string(e.Reason))
	}
	return e, created, nil
}

// enqueueOnce returns the existing entry, or tries to store a new one.
func (d *Desk) enqueueOnce(ctx context.Context, r Request) (Entry, bool, error) {
	old, err := d.store.Entry(ctx, r.ConversationID)
	if err == nil {
		return old, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Entry{}, false, fmt.Errorf("enqueue %s: %w", r.ConversationID, err)
	}
	now := d.now()
	e := Entry{ConversationID: r.ConversationID, Channel: r.Channel, Address: r.Address,
		Group: r.Group, Priority: r.Priority, Reason: r.Reason, Note: r.Note,
		Details: slices.Clone(r.Details), EnqueuedAt: now, WaitingSince: now, Status: StatusWaiting}
	if err := d.store.Commit(ctx, Batch{Put: []Entry{e}}); err != nil {
		return Entry{}, false, fmt.Errorf("enqueue %s: %w", r.ConversationID, err)
	}
	e.Version++
	return e, true, nil
}

// Entry returns the entry of a conversation, or ErrNotFound.
func (d *Desk) Entry(ctx context.Context, conversationID string) (Entry, error) {
	return d.store.Entry(ctx, conversationID)
}

// Queue returns the waiting entries in queue order.
func (d *Desk) Queue(ctx context.Context) ([]Entry, error) {
	q, err := d.store.Queue(ctx)
	if err != nil {
		return nil, fmt.Errorf("read queue: %w", err)
	}
	return q, nil
}

// Leave takes a waiting conversation out of the queue because the
// subscriber left it, for example to be called back, and returns the
// entry as it was. It returns ErrNotFound when the conversation is not on
// the desk and ErrTaken when an agent already holds it.
func (d *Desk) Leave(ctx context.Context, conversationID string) (Entry, error) {
	var out Entry
	err := retry(func() error {
		e, err := d.store.Entry(ctx, conversationID)
		if err != nil {
			return fmt.Errorf("leave %s: %w", conversationID, err)
		}
		if e.Status != StatusWaiting {
			return fmt.Errorf("leave %s: %w", conversationID, ErrTaken)
		}
		if err := d.store.Commit(ctx, Batch{Delete: []Entry{e}}); err != nil {
			return fmt.Errorf("leave %s: %w", conversationID, err)
		}
		out = e
		return nil
	})
	if err == nil {
		d.log.Info("conversation left the queue", "conversation", conversationID)
	}
	return out, err
}
