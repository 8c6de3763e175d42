package handoff

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// Register adds an agent, offline, or updates the profile of a known one
// and keeps their state and conversations. It returns ErrInvalid for a
// profile without an id or capacity, or with an unknown role.
func (d *Desk) Register(ctx context.Context, p Profile) (Agent, error) {
	if err := checkProfile(p); err != nil {
		return Agent{}, err
	}
	var out Agent
	err := retry(func() error {
		a, err := d.store.Agent(ctx, p.ID)
		if errors.Is(err, ErrNotFound) {
			a = Agent{State: StateOffline, StateSince: d.now()}
		} else if err != nil {
			return fmt.Errorf("register agent %s: %w", p.ID, err)
		}
		a.Profile = p
		a.Groups = slices.Clone(p.Groups)
		a.settle(d.now())
		if err := d.store.Commit(ctx, Batch{Agents: []Agent{a}}); err != nil {
			return fmt.Errorf("register agent %s: %w", p.ID, err)
		}
		a.Version++
		out = a
		return nil
	})
	if err == nil {
		d.log.Info("agent registered", "agent", p.ID, "role", string(p.Role))
	}
	return out, err
}

// checkProfile says what is missing in a profile.
func checkProfile(p Profile) error {
	switch {
	case p.ID == "":
		return fmt.Errorf("agent without id: %w", ErrInvalid)
	case p.MaxConcurrent < 1:
		return fmt.Errorf("agent %s max concurrent %d: want 1 or more: %w",
			p.ID, p.MaxConcurrent, ErrInvalid)
	case p.Role != RoleAgent && p.Role != RoleSupervisor:
		return fmt.Errorf("agent %s role %q: want agent or supervisor: %w", p.ID, p.Role, ErrInvalid)
	}
	return nil
}

// Agent returns an agent, or ErrNotFound.
func (d *Desk) Agent(ctx context.Context, id string) (Agent, error) {
	return d.store.Agent(ctx, id)
}

// SetState moves an agent to a state they choose: ready, break or
// offline. Asking for the state the agent is in changes nothing. It
// returns ErrMove for a move the agent may not make (see State),
// ErrHasConversations for going offline while holding conversations, and
// ErrNotFound for an unknown agent. Going ready while at capacity makes
// the agent busy.
func (d *Desk) SetState(ctx context.Context, agentID string, to State) (Agent, error) {
	var out Agent
	err := retry(func() error {
		a, err := d.store.Agent(ctx, agentID)
		if err != nil {
			return fmt.Errorf("set state of agent %s: %w", agentID, err)
		}
		if a.State == to || (to == StateReady && a.State == StateBusy) {
			out = a
			return nil
		}
		if err := checkMove(a, to); err != nil {
			return err
		}
		a.enter(to, d.now())
		a.settle(d.now())
		if err := d.store.Commit(ctx, Batch{Agents: []Agent{a}}); err != nil {
			return fmt.Errorf("set state of agent %s: %w", agentID, err)
		}
		a.Version++
		out = a
		d.log.Info("agent state", "agent", agentID, "state", string(a.State))
		return nil
	})
	return out, err
}

// Agents returns every agent on the desk, ordered by id.
func (d *Desk) Agents(ctx context.Context) ([]Agent, error) {
	return d.store.Agents(ctx)
}
