package handoff

import (
	"log/slog"
	"slices"
	"time"
)

// Channel names the channel a conversation came on, such as wechat, sms or
// webchat.
type Channel string

// Reason says why a conversation was handed to a human.
type Reason string

// Reasons for a handoff.
const (
	// ReasonAsked means the subscriber asked for a person.
	ReasonAsked Reason = "asked"
	// ReasonBotMisses means the bot failed to answer several times.
	ReasonBotMisses Reason = "bot_misses"
	// ReasonFormFailed means a fault-report form could not be completed.
	ReasonFormFailed Reason = "form_failed"
	// ReasonComplaint means the subscriber lodged a complaint.
	ReasonComplaint Reason = "complaint"
	// ReasonCallback means a call back the subscriber asked for is due.
	ReasonCallback Reason = "callback"
)

// Priorities the callers use; a higher number is served first, and any
// other value may be used between them.
const (
	// PriorityNormal is for an ordinary request.
	PriorityNormal = 0
	// PriorityAtRisk is for a conversation about a ticket whose deadline
	// is at risk or breached.
	PriorityAtRisk = 50
	// PriorityComplaint is for a complaint.
	PriorityComplaint = 100
)

// Status says where a conversation is on the desk.
type Status string

// Statuses of an entry.
const (
	// StatusWaiting means the conversation waits in the queue.
	StatusWaiting Status = "waiting"
	// StatusAssigned means an agent holds the conversation.
	StatusAssigned Status = "assigned"
)

// Entry is one conversation on the desk, waiting or with an agent. The
// conversation id is its key: there is at most one entry per conversation.
type Entry struct {
	// ConversationID identifies the conversation.
	ConversationID string
	// Channel is the channel the subscriber writes on.
	Channel Channel
	// Address is where the channel reaches the subscriber (an OpenID, a
	// phone number, a socket id). It is personal data: never log it.
	Address string
	// Group is the skill group that should take it (broadband, mobile,
	// billing, complaints...); empty means any agent.
	Group string
	// Priority orders the queue: higher first.
	Priority int
	// Reason says why the bot handed the conversation on.
	Reason Reason
	// Note is a short remark for the agent, from the bot or from the
	// agent who transferred the conversation.
	Note string
	// Details are what the bot collected before handing the conversation
	// on, such as the answers of a form the subscriber did not finish.
	Details []Detail
	// EnqueuedAt is when the conversation first came to the desk.
	EnqueuedAt time.Time
	// WaitingSince is when it last entered the queue; the queue order and
	// the queue time limit count from here.
	WaitingSince time.Time
	// Head is set when the conversation went back to the queue after an
	// agent held it (transfer to a group, agent gone); it is then served
	// ahead of entries of the same priority that never had an agent.
	Head bool
	// Status says whether it waits or is assigned.
	Status Status
	// AgentID is the agent who holds it; empty while waiting.
	AgentID string
	// AssignedAt is when the current agent got it.
	AssignedAt time.Time
	// Version counts the stored changes; a Store refuses a write made
	// from an older version.
	Version int64
}

// Detail is one thing the bot collected from the subscriber, for the
// agent who takes the conversation.
type Detail struct {
	// Key names the detail (a form slot's name).
	Key string
	// Label is what the detail is called, in the conversation's language.
	Label string
	// Value is the subscriber's answer; personal data, never logged.
	Value string
	// Sensitive values are shown to agents masked until revealed.
	Sensitive bool
}

// clone returns a copy that shares nothing with e.
func (e Entry) clone() Entry {
	e.Details = slices.Clone(e.Details)
	return e
}

// LogValue makes an entry log its ids and routing fields only, never the
// address or the note.
func (e Entry) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("conversation", e.ConversationID),
		slog.String("channel", string(e.Channel)),
		slog.String("group", e.Group),
		slog.Int("priority", e.Priority),
		slog.String("status", string(e.Status)),
		slog.String("agent", e.AgentID),
	)
}
