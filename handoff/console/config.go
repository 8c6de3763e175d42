package console

import (
	"context"
	"log/slog"
	"time"

	"hotline/dialog"
	"hotline/handoff"
	"hotline/tickets"
)

// Engine is what the console needs from the dialog engine: the
// transcript, and the agents' actions told to the subscriber.
type Engine interface {
	Transcript(ctx context.Context, conversationID string, limit int) (dialog.Conversation, []dialog.Message, error)
	AgentJoined(ctx context.Context, ev dialog.AgentEvent) error
	AgentSaid(ctx context.Context, ev dialog.AgentEvent) error
	AgentClosed(ctx context.Context, ev dialog.AgentEvent) error
	AgentTransferred(ctx context.Context, ev dialog.AgentEvent, toQueue bool) error
	AgentLost(ctx context.Context, id string, entry handoff.Entry) error
	QueueExpired(ctx context.Context, id string, entry handoff.Entry) error
	QueueMoved(ctx context.Context, entry handoff.Entry, est handoff.Estimate) error
}

// Tickets is what the console needs from the ticket service.
type Tickets interface {
	Mine(ctx context.Context, o tickets.Owner, limit int) ([]tickets.Ticket, error)
	Lookup(ctx context.Context, o tickets.Owner, id string) (tickets.Ticket, error)
	Open(ctx context.Context, d tickets.Draft) (tickets.Ticket, bool, error)
	Apply(ctx context.Context, id string, u tickets.Update, actor string,
		record func(tickets.Ticket) *tickets.Idempotency) (tickets.Ticket, error)
}

// Canned is a prepared reply an agent can insert and edit.
type Canned struct {
	// ID identifies it.
	ID string `json:"id" yaml:"id"`
	// Title is what the console lists it by.
	Title string `json:"title" yaml:"title"`
	// Text is the reply; {name} becomes the agent's name.
	Text string `json:"text" yaml:"text"`
	// Lang is zh or en.
	Lang string `json:"lang" yaml:"lang"`
}

// Label is a code with its names in Chinese and English, such as a
// wrap-up reason code or a ticket category.
type Label struct {
	// Code is the stored value.
	Code string `json:"code" yaml:"code"`
	// Zh is the Chinese name.
	Zh string `json:"zh" yaml:"zh"`
	// En is the English name.
	En string `json:"en" yaml:"en"`
}

// Config is what a Server needs.
type Config struct {
	// Desk is the agent queue.
	Desk *handoff.Desk
	// Accounts are the agents' accounts.
	Accounts *handoff.Accounts
	// Sessions sign agents in and out.
	Sessions *handoff.Sessions
	// Audit records every agent action.
	Audit *handoff.Audit
	// Notes keeps internal notes and wrap-ups.
	Notes handoff.NoteStore
	// Engine runs the conversations.
	Engine Engine
	// Tickets opens and updates tickets; nil hides tickets.
	Tickets Tickets
	// Canned are the prepared replies.
	Canned []Canned
	// WrapCodes are the reason codes a close must pick one of.
	WrapCodes []Label
	// Groups are the skill groups, for transfers.
	Groups []string
	// Categories are the ticket categories agents may pick.
	Categories []Label
	// AllowedOrigins may open the socket besides the gateway's own host.
	AllowedOrigins []string
	// Tick is how often the desk loop runs when nothing wakes it; zero
	// means one second.
	Tick time.Duration
	// TranscriptLimit is how many messages a view carries; zero means 200.
	TranscriptLimit int
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// Log receives the console's logs: ids and codes, never message text.
	Log *slog.Logger
	// Relay, when set, carries frames to the consoles connected to other
	// gateway instances sharing the desk; nil for one instance.
	Relay Relay
	// Presence, when set, tells which agents have a console on any
	// instance, so the consoles of an instance that died are noticed; nil
	// for one instance.
	Presence Presence
	// PresenceEvery is how often presence marks are renewed and checked;
	// zero means five seconds.
	PresenceEvery time.Duration
	// Failures, when set, counts failed sign-ins of every instance, so
	// the throttle holds for all of them; nil counts per instance.
	Failures Counter
}
