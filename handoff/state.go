package handoff

import (
	"fmt"
	"time"
)

// State is an agent's state on the desk.
//
// An agent chooses ready, break or offline (SetState). The desk sets the
// others: busy while a ready agent holds as many conversations as they
// may (and back to ready when one ends), and wrap_up after the agent
// closes a conversation, for the configured wrap-up time, after which
// Sweep returns them to ready. Only a ready, connected agent with room
// gets new conversations. An agent on break or in wrap-up keeps the
// conversations they hold but gets no new ones.
type State string

// Agent states.
const (
	// StateOffline means the agent is not working and holds nothing.
	StateOffline State = "offline"
	// StateReady means the agent takes conversations.
	StateReady State = "ready"
	// StateBusy means the agent is ready but holds their maximum.
	StateBusy State = "busy"
	// StateBreak means the agent takes no new conversations for now.
	StateBreak State = "break"
	// StateWrapUp means the agent writes up a closed conversation.
	StateWrapUp State = "wrap_up"
)

// agentMoves lists, for each state, the states an agent may choose from
// it. Busy and wrap_up are never chosen: the desk sets them.
var agentMoves = map[State][]State{
	StateOffline: {StateReady},
	StateReady:   {StateBreak, StateOffline},
	StateBusy:    {StateBreak, StateOffline},
	StateBreak:   {StateReady, StateOffline},
	StateWrapUp:  {StateReady, StateBreak, StateOffline},
}

// CanMove reports whether an agent may move themselves from one state to
// another. Staying in the same state is not a move and is refused here;
// SetState treats it as done.
func CanMove(from, to State) bool {
	for _, s := range agentMoves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// checkMove says why an agent may not move from a's state to another.
func checkMove(a Agent, to State) error {
	if !CanMove(a.State, to) {
		return fmt.Errorf("agent %s from %s to %s: %w", a.ID, a.State, to, ErrMove)
	}
	if to == StateOffline && len(a.Conversations) > 0 {
		return fmt.Errorf("agent %s offline with %d conversations: %w",
			a.ID, len(a.Conversations), ErrHasConversations)
	}
	return nil
}

// enter puts the agent in a state from now on.
func (a *Agent) enter(s State, now time.Time) {
	if a.State == s {
		return
	}
	if s == StateReady {
		a.AvailableSince = now
	}
	if s != StateWrapUp {
		a.WrapUpUntil = time.Time{}
	}
	a.State = s
	a.StateSince = now
}

// settle moves a ready agent who holds their maximum to busy, and a busy
// one with room back to ready.
func (a *Agent) settle(now time.Time) {
	switch {
	case a.State == StateReady && a.Free() == 0:
		a.enter(StateBusy, now)
	case a.State == StateBusy && a.Free() > 0:
		a.State, a.StateSince = StateReady, now
	}
}
