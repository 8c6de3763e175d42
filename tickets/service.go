package tickets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Service applies the ticket rules: deadlines and priority on creation,
// allowed status changes, history, outage links and the events that tell
// the subscriber and the CRM.
type Service struct {
	store     Store
	policy    Policy
	now       func() time.Time
	log       *slog.Logger
	consumers []string
	onEvents  func()
	outages   outageCache
}

// Config is what a Service needs.
type Config struct {
	// Store keeps the tickets.
	Store Store
	// Policy sets deadlines and risk.
	Policy Policy
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// Log receives logs with ids only, never personal data.
	Log *slog.Logger
	// CRM is true when events are forwarded to a CRM, so they are kept
	// for it.
	CRM bool
	// OnEvents, when set, is called after each write that stored events,
	// so the relays that hand them on can start at once instead of at
	// their next poll. It must not block.
	OnEvents func()
}

// NewService builds a service.
func NewService(c Config) *Service {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Policy.Location == nil {
		c.Policy.Location = time.UTC
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	consumers := []string{ConsumerNotify}
	if c.CRM {
		consumers = append(consumers, ConsumerCRM)
	}
	if c.OnEvents == nil {
		c.OnEvents = func() {}
	}
	return &Service{store: c.Store, policy: c.Policy, now: c.Now, log: c.Log,
		consumers: consumers, onEvents: c.OnEvents}
}

// stored tells the relays that a write with events has committed.
func (s *Service) stored(events []Event) {
	if len(events) > 0 {
		s.onEvents()
	}
}

// Policy returns the service's policy.
func (s *Service) Policy() Policy { return s.policy }

// Draft is what is known about a new ticket.
type Draft struct {
	// Kind is fault, complaint or request.
	Kind Kind
	// Category is the form's category.
	Category string
	// Owner is the subscriber raising it, if it came from a channel.
	Owner Owner
	// ConversationID is the conversation it came from, if any.
	ConversationID string
	// Source is the channel's name or the creating system's.
	Source string
	// SourceKey makes creation idempotent.
	SourceKey string
	// Phone is the service or contact number.
	Phone string
	// Details are the collected answers.
	Details map[string]string
	// Summary describes the ticket for the people working it.
	Summary string
	// Service and Area locate a fault, to link it to an outage.
	Service string
	// Area is the service area.
	Area string
	// Priority overrides the kind's priority when set.
	Priority Priority
	// Actor is who opened it.
	Actor string
}

// ErrInvalid wraps a request the rules reject, such as an unknown kind.
var ErrInvalid = errors.New("invalid")

// Open creates a ticket with its deadlines, links a fault report to a
// matching open outage, and records the creation event. With a SourceKey
// seen before it returns the existing ticket and created false.
func (s *Service) Open(ctx context.Context, d Draft) (Ticket, bool, error) {
	if !d.Kind.Valid() {
		return Ticket{}, false, fmt.Errorf("%w: unknown kind %q", ErrInvalid, d.Kind)
	}
	now := s.now().In(s.policy.Location)
	t := Ticket{
		Kind: d.Kind, Category: d.Category, Status: StatusNew,
		Priority: s.policy.Kinds[d.Kind].Priority,
		Owner:    d.Owner, ConversationID: d.ConversationID,
		Source: d.Source, SourceKey: d.SourceKey,
		Phone: d.Phone, Details: d.Details, Summary: d.Summary,
		Service: d.Service, Area: d.Area,
		CreatedAt: now, UpdatedAt: now,
	}
	if d.Priority != 0 {
		t.Priority = d.Priority
	}
	t.RespondBy, t.ResolveBy = s.policy.deadlines(t.Kind, now)
	if err := s.linkOutage(ctx, &t); err != nil {
		return Ticket{}, false, err
	}
	t.WatchAt = s.policy.watchAt(t)

	c := Change{At: now, Actor: d.Actor, Action: ActionCreated, To: string(StatusNew)}
	if t.OutageID != "" {
		c.Note = "linked to outage " + t.OutageID
	}
	t.History = []Change{c}
	stored, created, err := s.store.CreateTicket(ctx, t, []Event{s.event(EventCreated, t, c, nil)})
	if err != nil {
		return Ticket{}, false, fmt.Errorf("create ticket: %w", err)
	}
	if created {
		s.onEvents()
		s.log.Info("ticket opened", "ticket", stored.ID, "kind", stored.Kind,
			"category", stored.Category, "outage", stored.OutageID)
	}
	return stored, created, nil
}

// linkOutage links a fault to the first open outage that covers it.
func (s *Service) linkOutage(ctx context.Context, t *Ticket) error {
	if t.Kind != KindFault || t.Service == "" {
		return nil
	}
	open, err := s.outages.get(ctx, s.store, s.now())
	if err != nil {
		return fmt.Errorf("look up outages: %w", err)
	}
	for _, o := range open {
		if o.Covers(t.Service, t.Area) {
			t.OutageID = o.ID
			return nil
		}
	}
	return nil
}

// event builds an event for the service's consumers. Tickets with no
// channel owner have nobody to notify.
func (s *Service) event(typ EventType, t Ticket, c Change, o *Outage) Event {
	snap := t
	snap.History = nil
	consumers := s.consumers
	if t.Owner.Channel == "" {
		consumers = without(consumers, ConsumerNotify)
	}
	return Event{Type: typ, Ticket: snap, Change: c, Outage: o, At: c.At, Consumers: consumers}
}

func without(list []string, drop string) []string {
	out := make([]string, 0, len(list))
	for _, v := range list {
		if v != drop {
			out = append(out, v)
		}
	}
	return out
}

// Get returns a ticket with its history.
func (s *Service) Get(ctx context.Context, id string) (Ticket, error) {
	return s.store.Ticket(ctx, id)
}

// List returns one page of tickets.
func (s *Service) List(ctx context.Context, f Filter) (Page, error) {
	return s.store.ListTickets(ctx, f)
}

// Mine returns the owner's tickets that still need work, newest first.
func (s *Service) Mine(ctx context.Context, o Owner, limit int) ([]Ticket, error) {
	if o.Zero() {
		return nil, nil
	}
	p, err := s.store.ListTickets(ctx, Filter{Owner: &o, OpenOnly: true, Limit: limit})
	return p.Tickets, err
}

// Lookup returns a ticket only to its owner; anyone else gets ErrNotFound,
// exactly as for an id that does not exist.
func (s *Service) Lookup(ctx context.Context, o Owner, id string) (Ticket, error) {
	t, err := s.store.Ticket(ctx, id)
	if err != nil {
		return Ticket{}, err
	}
	if !owns(o, t.Owner) {
		return Ticket{}, ErrNotFound
	}
	return t, nil
}

// owns reports whether the asking owner may see a ticket of owner t.
func owns(asking, t Owner) bool {
	if asking.SubscriberID != "" && asking.SubscriberID == t.SubscriberID {
		return true
	}
	return asking.Channel != "" && asking.Channel == t.Channel && asking.Address == t.Address
}

// Recorded returns the outcome stored for an idempotency key, or
// ErrNotFound.
func (s *Service) Recorded(ctx context.Context, key string) (Idempotency, error) {
	return s.store.Idempotency(ctx, key)
}
