package handoff

import (
	"context"
	"fmt"
	"time"
)

// WrapUp is what an agent records when closing a conversation.
type WrapUp struct {
	// Code is the operator's reason code for the outcome; required.
	Code string
	// Summary is the agent's account of the conversation. It may hold
	// personal data and is never logged.
	Summary string
}

// Closed is a conversation an agent closed, for the caller to keep with
// the transcript.
type Closed struct {
	// Entry is the conversation's entry as it was before the close.
	Entry Entry
	// WrapUp is what the agent recorded.
	WrapUp WrapUp
	// ClosedAt is when the agent closed it.
	ClosedAt time.Time
	// Handled is how long the closing agent held it.
	Handled time.Duration
}

// Close ends a conversation the agent holds, takes it off the desk and
// counts its handling time into the wait estimate. An agent who was ready
// or busy enters wrap-up for the configured time; one on break stays on
// break. It returns ErrInvalid without a reason code and ErrNotAssigned
// when the agent does not hold the conversation.
func (d *Desk) Close(ctx context.Context, conversationID, agentID string,
	w WrapUp) (Closed, error) {
	if w.Code == "" {
		return Closed{}, fmt.Errorf("close %s: a wrap-up reason code is required: %w",
			conversationID, ErrInvalid)
	}
	var out Closed
	err := retry(func() error {
		var err error
		out, err = d.closeOnce(ctx, conversationID, agentID, w)
		return err
	})
	if err == nil {
		d.log.Info("conversation closed", "conversation", conversationID, "agent", agentID,
			"code", w.Code, "handled", out.Handled)
	}
	return out, err
}

// closeOnce reads, changes and stores what a close touches.
func (d *Desk) closeOnce(ctx context.Context, conversationID, agentID string,
	w WrapUp) (Closed, error) {
	e, a, err := d.held(ctx, conversationID, agentID)
	if err != nil {
		return Closed{}, fmt.Errorf("close %s: %w", conversationID, err)
	}
	st, err := d.store.Stats(ctx)
	if err != nil {
		return Closed{}, fmt.Errorf("close %s: %w", conversationID, err)
	}
	now := d.now()
	c := Closed{Entry: e, WrapUp: w, ClosedAt: now, Handled: max(now.Sub(e.AssignedAt), 0)}
	st = st.add(c.Handled, d.cfg.Smoothing)
	a.Conversations = a.without(conversationID)
	d.startWrapUp(&a, now)
	b := Batch{Delete: []Entry{e}, Agents: []Agent{a}, Stats: &st}
	if err := d.store.Commit(ctx, b); err != nil {
		return Closed{}, fmt.Errorf("close %s: %w", conversationID, err)
	}
	return c, nil
}

// startWrapUp puts a working agent in wrap-up after a close.
func (d *Desk) startWrapUp(a *Agent, now time.Time) {
	if a.State != StateReady && a.State != StateBusy {
		a.settle(now)
		return
	}
	if d.cfg.WrapUp == 0 {
		a.settle(now)
		return
	}
	a.enter(StateWrapUp, now)
	a.WrapUpUntil = now.Add(d.cfg.WrapUp)
}

// add counts one handling time into the moving average; the first one
// replaces the configured default.
func (s Stats) add(d time.Duration, weight float64) Stats {
	if s.Samples == 0 {
		s.HandleTime = d
	} else {
		s.HandleTime += time.Duration(weight * float64(d-s.HandleTime))
	}
	s.Samples++
	return s
}
