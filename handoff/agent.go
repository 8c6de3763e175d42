package handoff

import (
	"slices"
	"time"
)

// Role is what an agent may do on the desk.
type Role string

// Roles of an agent.
const (
	// RoleAgent takes conversations of their own skill groups.
	RoleAgent Role = "agent"
	// RoleSupervisor may also pick conversations of any group.
	RoleSupervisor Role = "supervisor"
)

// Profile is what the operator sets about an agent.
type Profile struct {
	// ID identifies the agent.
	ID string
	// Name is shown in the console.
	Name string
	// Role is agent or supervisor.
	Role Role
	// Groups are the skill groups the agent serves.
	Groups []string
	// MaxConcurrent is how many conversations the agent holds at once.
	MaxConcurrent int
}

// Agent is an agent with their current state and conversations.
type Agent struct {
	Profile
	// State is the agent's state; see State for the moves between them.
	State State
	// StateSince is when the agent entered State.
	StateSince time.Time
	// AvailableSince is when the agent last became ready or last got a
	// conversation; of two equally loaded agents, the one with the
	// earlier time has been idle longer and is routed to first.
	AvailableSince time.Time
	// Conversations are the ids of the conversations the agent holds.
	Conversations []string
	// WrapUpUntil is when a wrap-up ends; zero outside wrap-up.
	WrapUpUntil time.Time
	// DisconnectedAt is when the agent's console went away; zero while
	// connected. The agent keeps their conversations for the configured
	// grace period.
	DisconnectedAt time.Time
	// Version counts the stored changes; a Store refuses a write made
	// from an older version.
	Version int64
}

// Serves reports whether the agent serves the skill group; every agent
// serves the empty group.
func (a Agent) Serves(group string) bool {
	return group == "" || slices.Contains(a.Groups, group)
}

// mayTake reports whether the agent may hold a conversation of the group
// on their own choice or by transfer: their groups, or any for a
// supervisor.
func (a Agent) mayTake(group string) bool {
	return a.Role == RoleSupervisor || a.Serves(group)
}

// Free is how many more conversations the agent can hold.
func (a Agent) Free() int {
	return max(a.MaxConcurrent-len(a.Conversations), 0)
}

// Connected reports whether the agent's console is there.
func (a Agent) Connected() bool {
	return a.DisconnectedAt.IsZero()
}

// Holds reports whether the agent holds the conversation.
func (a Agent) Holds(conversationID string) bool {
	return slices.Contains(a.Conversations, conversationID)
}

// clone returns a copy that shares no slice with a, so a store never hands
// out or keeps a caller's backing array.
func (a Agent) clone() Agent {
	a.Groups = slices.Clone(a.Groups)
	a.Conversations = slices.Clone(a.Conversations)
	return a
}

// without returns the agent's conversations less one.
func (a Agent) without(conversationID string) []string {
	return slices.DeleteFunc(slices.Clone(a.Conversations), func(id string) bool {
		return id == conversationID
	})
}
