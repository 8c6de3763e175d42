package handoff

import (
	"context"
	"errors"
	"fmt"
)

// Assignment is a conversation Route gave to an agent.
type Assignment struct {
	// ConversationID is the conversation.
	ConversationID string
	// AgentID is the agent who now holds it.
	AgentID string
}

// Route goes through the queue in order and gives each entry to the
// least busy ready agent of its group who has room: the fewest
// conversations held, then the one idle longest (see
// Agent.AvailableSince), then by id. An entry no agent can take stays and
// does not hold up the entries behind it. An entry or agent changed by
// someone else meanwhile is left for the next Route. Route does not look
// at business hours: a ready agent works whenever they are ready.
func (d *Desk) Route(ctx context.Context) ([]Assignment, error) {
	queue, err := d.store.Queue(ctx)
	if err != nil {
		return nil, fmt.Errorf("route: %w", err)
	}
	agents, err := d.store.Agents(ctx)
	if err != nil {
		return nil, fmt.Errorf("route: %w", err)
	}
	var out []Assignment
	for _, e := range queue {
		i := pickAgent(agents, e.Group)
		if i < 0 {
			continue
		}
		a, err := d.routeOne(ctx, e, agents[i])
		if errors.Is(err, ErrConflict) {
			// Someone else changed the entry or the agent: read the agents
			// again and leave this entry for the next Route.
			if agents, err = d.store.Agents(ctx); err != nil {
				return out, fmt.Errorf("route: %w", err)
			}
			continue
		}
		if err != nil {
			return out, err
		}
		agents[i] = a
		out = append(out, Assignment{ConversationID: e.ConversationID, AgentID: a.ID})
		d.log.Info("conversation routed", "conversation", e.ConversationID, "agent", a.ID)
	}
	return out, nil
}

// routeOne assigns an entry to an agent and returns the agent as stored.
func (d *Desk) routeOne(ctx context.Context, e Entry, a Agent) (Agent, error) {
	ne, na := assigned(e, a, d.now())
	err := d.store.Commit(ctx, Batch{Put: []Entry{ne}, Agents: []Agent{na}})
	if err != nil {
		return a, fmt.Errorf("route %s to %s: %w", e.ConversationID, a.ID, err)
	}
	na.Version++
	return na, nil
}

// pickAgent returns the index of the agent who should get a conversation
// of the group, or -1 when none can.
func pickAgent(agents []Agent, group string) int {
	best := -1
	for i, a := range agents {
		if !routable(a, group) {
			continue
		}
		if best < 0 || lessBusy(a, agents[best]) {
			best = i
		}
	}
	return best
}

// routable reports whether routing may give the agent a conversation of
// the group: ready, connected, with room, and serving the group.
func routable(a Agent, group string) bool {
	return a.State == StateReady && a.Connected() && a.Free() > 0 && a.Serves(group)
}

// lessBusy reports whether a should be routed to before b.
func lessBusy(a, b Agent) bool {
	if len(a.Conversations) != len(b.Conversations) {
		return len(a.Conversations) < len(b.Conversations)
	}
	if !a.AvailableSince.Equal(b.AvailableSince) {
		return a.AvailableSince.Before(b.AvailableSince)
	}
	return a.ID < b.ID
}
