package handoff

import (
	"context"
	"fmt"
	"time"
)

// Estimate is what a waiting subscriber can be told.
type Estimate struct {
	// Position is the entry's place among the waiting entries competing
	// for the same agents, 1 for the next one served.
	Position int
	// Slots is how many conversations the agents who can take it hold at
	// most, together: ready or busy agents of its group, connected.
	Slots int
	// Free is how many of those slots are free now.
	Free int
	// HandleTime is the average handling time the estimate assumes.
	HandleTime time.Duration
	// Wait is the estimated wait; meaningful only when Known.
	Wait time.Duration
	// Known is false when no agent can take the entry now, so no wait
	// can be estimated.
	Known bool
}

// Estimate tells a waiting conversation its position and estimated wait.
// The entries ahead of it that count are those in the same group and
// those where either group is empty, since they compete for the same
// agents. Position p within the free slots waits nothing; beyond them
// it waits (p - free) × handling time / slots, as a slot opens every
// handling time divided by the number of slots. It returns ErrNotFound
// when the conversation is not on the desk and ErrTaken when an agent
// holds it.
func (d *Desk) Estimate(ctx context.Context, conversationID string) (Estimate, error) {
	e, err := d.store.Entry(ctx, conversationID)
	if err != nil {
		return Estimate{}, fmt.Errorf("estimate %s: %w", conversationID, err)
	}
	if e.Status != StatusWaiting {
		return Estimate{}, fmt.Errorf("estimate %s: %w", conversationID, ErrTaken)
	}
	est, err := d.gather(ctx, e)
	if err != nil {
		return Estimate{}, fmt.Errorf("estimate %s: %w", conversationID, err)
	}
	est.Known = est.Slots > 0
	if est.Known && est.Position > est.Free {
		ahead := time.Duration(est.Position - est.Free)
		est.Wait = ahead * est.HandleTime / time.Duration(est.Slots)
	}
	return est, nil
}

// gather reads the position, the slots and the handling time for an entry.
func (d *Desk) gather(ctx context.Context, e Entry) (Estimate, error) {
	queue, err := d.store.Queue(ctx)
	if err != nil {
		return Estimate{}, err
	}
	agents, err := d.store.Agents(ctx)
	if err != nil {
		return Estimate{}, err
	}
	st, err := d.store.Stats(ctx)
	if err != nil {
		return Estimate{}, err
	}
	est := Estimate{Position: 1, HandleTime: d.cfg.DefaultHandleTime}
	if st.Samples > 0 {
		est.HandleTime = st.HandleTime
	}
	for _, q := range queue {
		if Before(q, e) && compete(q.Group, e.Group) {
			est.Position++
		}
	}
	for _, a := range agents {
		if working(a) && a.Serves(e.Group) {
			est.Slots += a.MaxConcurrent
			est.Free += a.Free()
		}
	}
	return est, nil
}

// compete reports whether entries of two groups wait for the same agents.
func compete(a, b string) bool {
	return a == b || a == "" || b == ""
}

// working reports whether an agent is at work and taking conversations:
// connected and ready or busy.
func working(a Agent) bool {
	return a.Connected() && (a.State == StateReady || a.State == StateBusy)
}
