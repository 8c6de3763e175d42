package tickets

import "time"

// Kind is what a ticket is about; each kind has its own deadlines.
type Kind string

// Ticket kinds.
const (
	// KindFault is a fault report (故障报修).
	KindFault Kind = "fault"
	// KindComplaint is a complaint (投诉).
	KindComplaint Kind = "complaint"
	// KindRequest is any other request, such as a business task.
	KindRequest Kind = "request"
)

// Kinds lists every kind, for validation.
func Kinds() []Kind { return []Kind{KindFault, KindComplaint, KindRequest} }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, v := range Kinds() {
		if k == v {
			return true
		}
	}
	return false
}

// Priority orders tickets for the people who work them; higher is sooner.
type Priority int

// Priorities.
const (
	PriorityLow    Priority = 1
	PriorityNormal Priority = 2
	PriorityHigh   Priority = 3
	PriorityUrgent Priority = 4
)

// Risk says how a ticket stands against its deadlines.
type Risk string

// Risk levels. A ticket is at risk once most of the time to a deadline it
// has not met is used up, and breached once a deadline passed unmet.
const (
	RiskNone     Risk = ""
	RiskAtRisk   Risk = "at_risk"
	RiskBreached Risk = "breached"
)

// Ticket is one fault report, complaint or request.
type Ticket struct {
	// ID is the human-readable id, such as TK20261203-000123.
	ID string
	// Kind is fault, complaint or request.
	Kind Kind
	// Category is the form's category, such as broadband_down.
	Category string
	// Status is where the ticket is in its life.
	Status Status
	// Priority orders the work.
	Priority Priority

	// Owner is who raised it; only the owner sees it on a channel.
	Owner Owner
	// ConversationID is the conversation it was raised in, if any.
	ConversationID string
	// Source says where it came from: a channel name, or "api" for a ticket
	// created by another system.
	Source string
	// SourceKey makes creation idempotent: a second ticket with the same
	// key is not created, the first is returned.
	SourceKey string

	// Phone is the service or contact number; personal data.
	Phone string
	// Details are the collected answers by slot name; personal data.
	Details map[string]string
	// Summary is a short description for people working the ticket.
	Summary string
	// Area is the service area, used to link fault reports to outages.
	Area string
	// Service is the affected service (mobile, broadband, tv, landline).
	Service string
	// OutageID links a fault report to a declared outage.
	OutageID string

	// Assignee is who works the ticket in the back office.
	Assignee string
	// Resolution is the written feedback given to the subscriber.
	Resolution string
	// Rating is the subscriber's 1 to 5 rating after resolution; 0 is none.
	Rating int

	// Risk is the ticket's standing against its deadlines.
	Risk Risk
	// RespondBy is the deadline for the first response.
	RespondBy time.Time
	// ResolveBy is the deadline for the resolution.
	ResolveBy time.Time
	// RespondedAt is when the ticket was first taken up; zero until then.
	RespondedAt time.Time
	// ResolvedAt is when it was resolved; zero until then.
	ResolvedAt time.Time
	// WatchAt is when the ticket's risk may next change; zero when there
	// is nothing left to watch. The service keeps it up to date.
	WatchAt time.Time
	// CreatedAt is when it was opened.
	CreatedAt time.Time
	// UpdatedAt is when it last changed.
	UpdatedAt time.Time

	// Version increases with every stored change; a store rejects a change
	// made from an older version.
	Version int64
	// History lists every change, oldest first. Only filled when one
	// ticket is read.
	History []Change
}

// Owner is the subscriber a ticket belongs to: the channel address that
// raised it and, once bound, the subscriber record.
type Owner struct {
	// Channel is the channel's name, such as webchat.
	Channel string
	// Address is the channel-scoped subscriber id; personal data.
	Address string
	// SubscriberID is the subscriber record, when the address is bound.
	SubscriberID string
}

// Zero reports whether no owner is set.
func (o Owner) Zero() bool { return o.Channel == "" && o.SubscriberID == "" }

// Open reports whether the ticket still needs work.
func (t Ticket) Open() bool { return !t.Status.Final() && t.Status != StatusResolved }

// Change is one entry of a ticket's history.
type Change struct {
	// At is when it happened.
	At time.Time
	// Actor is who did it: "subscriber", "bot", "system", or a back-office
	// user or system name.
	Actor string
	// Action is what happened, such as created, status, assigned, note.
	Action string
	// From and To are the old and new values, where the action has them.
	From string
	// To is the new value.
	To string
	// Note is free text attached to the change.
	Note string
}

// History actions.
const (
	ActionCreated  = "created"
	ActionStatus   = "status"
	ActionAssigned = "assigned"
	ActionNote     = "note"
	ActionRated    = "rated"
	ActionRisk     = "risk"
	ActionOutage   = "outage"
)
