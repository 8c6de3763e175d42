package tickets

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Update is a change to a ticket from the back office. Nil fields are left
// as they are.
type Update struct {
	// Status is the new status.
	Status *Status
	// Assignee is the new assignee.
	Assignee *string
	// Resolution is the written feedback; required to resolve.
	Resolution *string
	// Note is added to the history.
	Note string
}

// Empty reports whether the update changes nothing.
func (u Update) Empty() bool {
	return u.Status == nil && u.Assignee == nil && u.Resolution == nil && u.Note == ""
}

// updateRetries is how often an update is tried again after a concurrent
// change to the same ticket.
const updateRetries = 5

// Apply changes a ticket on behalf of actor. A status change the rules do
// not allow is a *TransitionError. When record is not nil it is called with
// the updated ticket and its result is stored in the same transaction, so a
// repeated request can be answered the same way.
func (s *Service) Apply(ctx context.Context, id string, u Update, actor string,
	record func(Ticket) *Idempotency) (Ticket, error) {
	if u.Empty() {
		return Ticket{}, fmt.Errorf("%w: nothing to change", ErrInvalid)
	}
	for attempt := 0; ; attempt++ {
		t, err := s.store.Ticket(ctx, id)
		if err != nil {
			return Ticket{}, err
		}
		changed, changes, events, err := s.apply(t, u, actor)
		if err != nil {
			return Ticket{}, err
		}
		var idem *Idempotency
		if record != nil {
			idem = record(changed)
		}
		err = s.store.UpdateTicket(ctx, changed, changes, events, idem)
		if errors.Is(err, ErrConflict) && attempt < updateRetries {
			continue
		}
		if err != nil {
			return Ticket{}, fmt.Errorf("update ticket %s: %w", id, err)
		}
		s.stored(events)
		changed.Version++
		changed.History = append(t.History, changes...)
		return changed, nil
	}
}

// apply works out the changed ticket, its history entries and events.
func (s *Service) apply(t Ticket, u Update, actor string) (Ticket, []Change, []Event, error) {
	now := s.now().In(s.policy.Location)
	var changes []Change
	var events []Event
	add := func(typ EventType, c Change) {
		changes = append(changes, c)
		events = append(events, s.event(typ, t, c, nil))
	}

	if u.Assignee != nil && *u.Assignee != t.Assignee {
		c := Change{At: now, Actor: actor, Action: ActionAssigned, From: t.Assignee, To: *u.Assignee}
		t.Assignee = *u.Assignee
		if t.Status == StatusNew && u.Status == nil {
			u.Status = ptr(StatusAssigned)
		}
		add(EventAssigned, c)
	}
	if u.Resolution != nil {
		t.Resolution = *u.Resolution
	}
	if u.Status != nil && *u.Status != t.Status {
		c, err := s.move(&t, *u.Status, now)
		if err != nil {
			return Ticket{}, nil, nil, err
		}
		c.Actor, c.Note = actor, u.Note
		add(EventStatus, c)
		u.Note = ""
	}
	if u.Note != "" {
		add(EventNote, Change{At: now, Actor: actor, Action: ActionNote, Note: u.Note})
	}

	t.UpdatedAt = now
	t.WatchAt = s.policy.watchAt(t)
	// Events carry the ticket as it is after every change.
	for i := range events {
		events[i].Ticket = snapshot(t)
	}
	return t, changes, events, nil
}

// move changes the status, checking the rules and stamping the response
// and resolution times.
func (s *Service) move(t *Ticket, to Status, now time.Time) (Change, error) {
	if !to.Valid() {
		return Change{}, fmt.Errorf("%w: unknown status %q", ErrInvalid, to)
	}
	if !t.Status.CanMove(to) {
		return Change{}, &TransitionError{From: t.Status, To: to}
	}
	if to == StatusResolved && t.Resolution == "" {
		return Change{}, fmt.Errorf("%w: a resolution note is required to resolve a ticket", ErrInvalid)
	}
	c := Change{At: now, Action: ActionStatus, From: string(t.Status), To: string(to)}
	t.Status = to
	if to != StatusCancelled && t.RespondedAt.IsZero() {
		t.RespondedAt = now
	}
	switch to {
	case StatusResolved:
		t.ResolvedAt = now
	case StatusReopened:
		t.ResolvedAt = time.Time{}
		t.Rating = 0
	}
	return c, nil
}

func snapshot(t Ticket) Ticket {
	t.History = nil
	return t
}

func ptr[T any](v T) *T { return &v }

// Rate stores the owner's 1 to 5 rating of a resolved or closed ticket.
func (s *Service) Rate(ctx context.Context, o Owner, id string, rating int) (Ticket, error) {
	if rating < 1 || rating > 5 {
		return Ticket{}, fmt.Errorf("%w: a rating is 1 to 5", ErrInvalid)
	}
	for attempt := 0; ; attempt++ {
		t, err := s.Lookup(ctx, o, id)
		if err != nil {
			return Ticket{}, err
		}
		if t.Status != StatusResolved && t.Status != StatusClosed {
			return Ticket{}, fmt.Errorf("%w: only a resolved ticket can be rated", ErrInvalid)
		}
		now := s.now().In(s.policy.Location)
		c := Change{At: now, Actor: "subscriber", Action: ActionRated,
			From: fmt.Sprint(t.Rating), To: fmt.Sprint(rating)}
		t.Rating, t.UpdatedAt = rating, now
		events := []Event{s.crmOnly(s.event(EventRated, t, c, nil))}
		err = s.store.UpdateTicket(ctx, t, []Change{c}, events, nil)
		if errors.Is(err, ErrConflict) && attempt < updateRetries {
			continue
		}
		if err != nil {
			return Ticket{}, fmt.Errorf("rate ticket %s: %w", id, err)
		}
		s.stored(events)
		t.Version++
		return t, nil
	}
}

// crmOnly keeps an event from the subscriber, who caused it.
func (s *Service) crmOnly(e Event) Event {
	e.Consumers = without(e.Consumers, ConsumerNotify)
	return e
}
