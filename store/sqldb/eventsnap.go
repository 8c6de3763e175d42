package sqldb

import (
	"time"

	"hotline/tickets"
)

// snapVersion marks the compact payload below. Payloads without it are
// of the first form, the plain JSON of the tickets types, and are still
// read.
const snapVersion = 2

// compactPayload is an event's stored JSON in its compact form: short
// keys, empty fields left out and times as unix nanoseconds. A ticket's
// snapshot is written with every event, so its size is paid on every
// change, in the write-ahead log and in the table.
type compactPayload struct {
	V         int             `json:"v"`
	Ticket    ticketSnap      `json:"t"`
	Change    changeSnap      `json:"c"`
	Outage    *tickets.Outage `json:"o,omitempty"`
	Consumers []string        `json:"u,omitempty"`
}

// ticketSnap is a ticket without its history, as an event keeps it.
type ticketSnap struct {
	ID             string            `json:"id"`
	Kind           string            `json:"k,omitempty"`
	Category       string            `json:"cat,omitempty"`
	Status         string            `json:"st,omitempty"`
	Priority       int               `json:"p,omitempty"`
	Channel        string            `json:"ch,omitempty"`
	Address        string            `json:"ad,omitempty"`
	SubscriberID   string            `json:"sub,omitempty"`
	ConversationID string            `json:"cv,omitempty"`
	Source         string            `json:"src,omitempty"`
	SourceKey      string            `json:"sk,omitempty"`
	Phone          string            `json:"ph,omitempty"`
	Details        map[string]string `json:"d,omitempty"`
	Summary        string            `json:"sum,omitempty"`
	Area           string            `json:"ar,omitempty"`
	Service        string            `json:"sv,omitempty"`
	OutageID       string            `json:"og,omitempty"`
	Assignee       string            `json:"as,omitempty"`
	Resolution     string            `json:"res,omitempty"`
	Rating         int               `json:"r,omitempty"`
	Risk           string            `json:"rk,omitempty"`
	RespondBy      int64             `json:"rb,omitempty"`
	ResolveBy      int64             `json:"vb,omitempty"`
	RespondedAt    int64             `json:"ra,omitempty"`
	ResolvedAt     int64             `json:"va,omitempty"`
	WatchAt        int64             `json:"wa,omitempty"`
	CreatedAt      int64             `json:"ca,omitempty"`
	UpdatedAt      int64             `json:"ua,omitempty"`
	Version        int64             `json:"ver,omitempty"`
}

// changeSnap is a history entry as an event keeps it.
type changeSnap struct {
	At     int64  `json:"at,omitempty"`
	Actor  string `json:"by,omitempty"`
	Action string `json:"a,omitempty"`
	From   string `json:"f,omitempty"`
	To     string `json:"to,omitempty"`
	Note   string `json:"n,omitempty"`
}

func snapNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func snapTime(n int64, loc *time.Location) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).In(loc)
}

// compact makes the stored form of an event.
func compact(e tickets.Event) compactPayload {
	t := e.Ticket
	return compactPayload{
		V: snapVersion,
		Ticket: ticketSnap{
			ID: t.ID, Kind: string(t.Kind), Category: t.Category, Status: string(t.Status),
			Priority: int(t.Priority), Channel: t.Owner.Channel, Address: t.Owner.Address,
			SubscriberID: t.Owner.SubscriberID, ConversationID: t.ConversationID,
			Source: t.Source, SourceKey: t.SourceKey, Phone: t.Phone, Details: t.Details,
			Summary: t.Summary, Area: t.Area, Service: t.Service, OutageID: t.OutageID,
			Assignee: t.Assignee, Resolution: t.Resolution, Rating: t.Rating, Risk: string(t.Risk),
			RespondBy: snapNanos(t.RespondBy), ResolveBy: snapNanos(t.ResolveBy),
			RespondedAt: snapNanos(t.RespondedAt), ResolvedAt: snapNanos(t.ResolvedAt),
			WatchAt: snapNanos(t.WatchAt), CreatedAt: snapNanos(t.CreatedAt),
			UpdatedAt: snapNanos(t.UpdatedAt), Version: t.Version,
		},
		Change: changeSnap{At: snapNanos(e.Change.At), Actor: e.Change.Actor,
			Action: e.Change.Action, From: e.Change.From, To: e.Change.To, Note: e.Change.Note},
		Outage:    e.Outage,
		Consumers: e.Consumers,
	}
}

// expand fills an event from its stored form, with times in loc.
func (p compactPayload) expand(e *tickets.Event, loc *time.Location) {
	s := p.Ticket
	e.Ticket = tickets.Ticket{
		ID: s.ID, Kind: tickets.Kind(s.Kind), Category: s.Category, Status: tickets.Status(s.Status),
		Priority:       tickets.Priority(s.Priority),
		Owner:          tickets.Owner{Channel: s.Channel, Address: s.Address, SubscriberID: s.SubscriberID},
		ConversationID: s.ConversationID, Source: s.Source, SourceKey: s.SourceKey,
		Phone: s.Phone, Details: s.Details, Summary: s.Summary, Area: s.Area, Service: s.Service,
		OutageID: s.OutageID, Assignee: s.Assignee, Resolution: s.Resolution, Rating: s.Rating,
		Risk:      tickets.Risk(s.Risk),
		RespondBy: snapTime(s.RespondBy, loc), ResolveBy: snapTime(s.ResolveBy, loc),
		RespondedAt: snapTime(s.RespondedAt, loc), ResolvedAt: snapTime(s.ResolvedAt, loc),
		WatchAt: snapTime(s.WatchAt, loc), CreatedAt: snapTime(s.CreatedAt, loc),
		UpdatedAt: snapTime(s.UpdatedAt, loc), Version: s.Version,
	}
	c := p.Change
	e.Change = tickets.Change{At: snapTime(c.At, loc), Actor: c.Actor, Action: c.Action,
		From: c.From, To: c.To, Note: c.Note}
	e.Outage, e.Consumers = p.Outage, p.Consumers
}
