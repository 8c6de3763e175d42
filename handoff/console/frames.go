package console

import (
	"time"

	"hotline/handoff"
	"hotline/tickets"
)

// request is any frame from the console; each type reads its own fields.
type request struct {
	Type         string `json:"type"`
	Req          string `json:"req"`
	State        string `json:"state,omitempty"`
	Conversation string `json:"conversation,omitempty"`
	ClientID     string `json:"client_id,omitempty"`
	Text         string `json:"text,omitempty"`
	Agent        string `json:"agent,omitempty"`
	Group        string `json:"group,omitempty"`
	Note         string `json:"note,omitempty"`
	Code         string `json:"code,omitempty"`
	Summary      string `json:"summary,omitempty"`
	Message      string `json:"message,omitempty"`
	Detail       string `json:"detail,omitempty"`
	Index        int    `json:"index,omitempty"`
	Kind         string `json:"kind,omitempty"`
	Category     string `json:"category,omitempty"`
	Ticket       string `json:"ticket,omitempty"`
	Status       string `json:"status,omitempty"`
}

// agentFrame describes an agent in welcome, me and agents frames.
type agentFrame struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	Role          string    `json:"role,omitempty"`
	Groups        []string  `json:"groups"`
	MaxConcurrent int       `json:"max_concurrent"`
	State         string    `json:"state,omitempty"`
	StateSince    time.Time `json:"state_since,omitzero"`
	WrapUpUntil   time.Time `json:"wrap_up_until,omitzero"`
	Load          int       `json:"load"`
	Connected     bool      `json:"connected"`
}

// accountFrame is the agent object of the sign-in endpoints.
func accountFrame(a handoff.Account) agentFrame {
	return agentFrame{ID: a.ID, Name: a.Name, Role: string(a.Role), Groups: nonNil(a.Groups),
		MaxConcurrent: a.MaxConcurrent}
}

// deskAgentFrame is an agent as the desk has them.
func deskAgentFrame(a handoff.Agent) agentFrame {
	return agentFrame{ID: a.ID, Name: a.Name, Role: string(a.Role), Groups: nonNil(a.Groups),
		MaxConcurrent: a.MaxConcurrent, State: string(a.State), StateSince: a.StateSince,
		WrapUpUntil: a.WrapUpUntil, Load: len(a.Conversations), Connected: a.Connected()}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// entryFrame is a queue entry.
type entryFrame struct {
	Conversation string    `json:"conversation"`
	Channel      string    `json:"channel"`
	Group        string    `json:"group"`
	Priority     int       `json:"priority"`
	Reason       string    `json:"reason"`
	Note         string    `json:"note"`
	Status       string    `json:"status"`
	EnqueuedAt   time.Time `json:"enqueued_at"`
	WaitingSince time.Time `json:"waiting_since"`
	AssignedAt   time.Time `json:"assigned_at,omitzero"`
	Agent        string    `json:"agent,omitempty"`
	Position     int       `json:"position,omitempty"`
	Head         bool      `json:"head"`
}

func newEntryFrame(e handoff.Entry, position int) entryFrame {
	return entryFrame{Conversation: e.ConversationID, Channel: string(e.Channel), Group: e.Group,
		Priority: e.Priority, Reason: string(e.Reason), Note: handoff.Mask(e.Note),
		Status: string(e.Status), EnqueuedAt: e.EnqueuedAt, WaitingSince: e.WaitingSince,
		AssignedAt: e.AssignedAt, Agent: e.AgentID, Position: position, Head: e.Head}
}

// messageFrame is a transcript message, its numbers masked.
type messageFrame struct {
	ID       string    `json:"id"`
	Seq      int64     `json:"seq"`
	From     string    `json:"from"`
	Text     string    `json:"text"`
	At       time.Time `json:"at"`
	Masked   int       `json:"masked"`
	ClientID string    `json:"client_id,omitempty"`
	Event    string    `json:"event,omitempty"`
}

// detailFrame is one detail the bot collected.
type detailFrame struct {
	Key       string `json:"key"`
	Label     string `json:"label"`
	Value     string `json:"value"`
	Sensitive bool   `json:"sensitive"`
}

// ticketFrame is one of the subscriber's tickets.
type ticketFrame struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Category  string    `json:"category"`
	Status    string    `json:"status"`
	Summary   string    `json:"summary"`
	RespondBy time.Time `json:"respond_by,omitzero"`
	ResolveBy time.Time `json:"resolve_by,omitzero"`
	Risk      string    `json:"risk"`
	Breached  bool      `json:"breached"`
}

func newTicketFrame(t tickets.Ticket) ticketFrame {
	return ticketFrame{ID: t.ID, Kind: string(t.Kind), Category: t.Category, Status: string(t.Status),
		Summary: handoff.Mask(t.Summary), RespondBy: t.RespondBy, ResolveBy: t.ResolveBy,
		Risk: string(t.Risk), Breached: t.Risk == tickets.RiskBreached}
}

// noteFrame is an internal note or a wrap-up.
type noteFrame struct {
	ID    string    `json:"id"`
	Agent string    `json:"agent"`
	Text  string    `json:"text"`
	At    time.Time `json:"at"`
}

func newNoteFrame(n handoff.Note) noteFrame {
	return noteFrame{ID: n.ID, Agent: n.AgentID, Text: n.Text, At: n.At}
}

// view is everything an agent sees of one conversation.
type view struct {
	Conversation string         `json:"conversation"`
	Channel      string         `json:"channel"`
	Lang         string         `json:"lang"`
	State        string         `json:"state"`
	Address      string         `json:"address"`
	Entry        *entryFrame    `json:"entry,omitempty"`
	Details      []detailFrame  `json:"details"`
	Messages     []messageFrame `json:"messages"`
	Tickets      []ticketFrame  `json:"tickets"`
	Notes        []noteFrame    `json:"notes"`
}
