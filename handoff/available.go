package handoff

import (
	"context"
	"fmt"
	"time"
)

// Unavailable says why no agent can take a conversation now.
type Unavailable string

// Reasons a group is unavailable.
const (
	// UnavailableClosed means it is outside business hours.
	UnavailableClosed Unavailable = "closed"
	// UnavailableNoAgents means no agent of the group is at work.
	UnavailableNoAgents Unavailable = "no_agents"
	// UnavailableAllBusy means the group's agents are at work but none
	// is ready with room; a conversation would wait.
	UnavailableAllBusy Unavailable = "all_busy"
)

// Availability tells whether a conversation of a group can reach an agent
// now, and if not why.
type Availability struct {
	// Reason is empty when a ready agent with room is there.
	Reason Unavailable
	// NextOpen is when the desk opens next, set when Reason is closed
	// and it opens within a year or so.
	NextOpen time.Time
}

// OK reports whether an agent can take the conversation now.
func (a Availability) OK() bool { return a.Reason == "" }

// Available tells whether a conversation of the group (empty for any)
// would reach an agent now, so the caller can offer a ticket or a call
// back instead of the queue. At work means connected and ready, busy,
// on break or in wrap-up.
func (d *Desk) Available(ctx context.Context, group string) (Availability, error) {
	now := d.now()
	if h := d.cfg.Hours; h != nil && !h.Open(now) {
		next, _ := h.NextOpen(now)
		return Availability{Reason: UnavailableClosed, NextOpen: next}, nil
	}
	agents, err := d.store.Agents(ctx)
	if err != nil {
		return Availability{}, fmt.Errorf("availability of group %q: %w", group, err)
	}
	atWork := false
	for _, a := range agents {
		if !a.Serves(group) || !a.Connected() || a.State == StateOffline {
			continue
		}
		if routable(a, group) {
			return Availability{}, nil
		}
		atWork = true
	}
	if atWork {
		return Availability{Reason: UnavailableAllBusy}, nil
	}
	return Availability{Reason: UnavailableNoAgents}, nil
}
