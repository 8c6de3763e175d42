package tickets

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// OutageDraft declares an outage.
type OutageDraft struct {
	// Service is the affected service: mobile, broadband, tv or landline.
	Service string
	// Area is the affected area; empty means every area.
	Area string
	// Description says what is wrong, for subscribers.
	Description string
	// ExpectedFix is when service is expected back.
	ExpectedFix time.Time
}

// OutageUpdate changes an open outage. Nil fields are left as they are.
type OutageUpdate struct {
	// Description replaces the description.
	Description *string
	// ExpectedFix moves the expected fix time; linked subscribers are told.
	ExpectedFix *time.Time
}

// DeclareOutage records an open outage. Fault reports opened from now on
// that it covers are linked to it; open ones already filed are not, as
// their subscribers were already given a promise.
func (s *Service) DeclareOutage(ctx context.Context, d OutageDraft) (Outage, error) {
	if d.Service == "" {
		return Outage{}, fmt.Errorf("%w: an outage needs a service", ErrInvalid)
	}
	if d.ExpectedFix.IsZero() {
		return Outage{}, fmt.Errorf("%w: an outage needs an expected fix time", ErrInvalid)
	}
	now := s.now().In(s.policy.Location)
	o := Outage{Service: d.Service, Area: d.Area, Description: d.Description,
		ExpectedFix: d.ExpectedFix, Open: true, DeclaredAt: now, UpdatedAt: now}
	o, err := s.store.CreateOutage(ctx, o)
	if err != nil {
		return Outage{}, fmt.Errorf("declare outage: %w", err)
	}
	s.outages.forget()
	s.log.Info("outage declared", "outage", o.ID, "service", o.Service)
	return o, nil
}

// UpdateOutage changes an open outage; when the expected fix time moves,
// every linked subscriber is told.
func (s *Service) UpdateOutage(ctx context.Context, id string, u OutageUpdate) (Outage, error) {
	return s.changeOutage(ctx, id, func(o *Outage) (EventType, error) {
		if !o.Open {
			return "", fmt.Errorf("%w: outage %s is closed", ErrClosed, id)
		}
		if u.Description != nil {
			o.Description = *u.Description
		}
		if u.ExpectedFix == nil || u.ExpectedFix.Equal(o.ExpectedFix) {
			return "", nil
		}
		o.ExpectedFix = *u.ExpectedFix
		return EventOutageUpdated, nil
	})
}

// CloseOutage closes an outage with a note; every subscriber whose open
// fault report is linked to it is told.
func (s *Service) CloseOutage(ctx context.Context, id, note string) (Outage, error) {
	return s.changeOutage(ctx, id, func(o *Outage) (EventType, error) {
		if !o.Open {
			return "", fmt.Errorf("%w: outage %s is already closed", ErrClosed, id)
		}
		o.Open, o.Note, o.ClosedAt = false, note, s.now().In(s.policy.Location)
		return EventOutageClosed, nil
	})
}

// ErrClosed means the record can no longer change that way.
var ErrClosed = errors.New("closed")

// changeOutage reads, changes and stores an outage, with one event per
// linked open ticket when edit names an event type.
func (s *Service) changeOutage(ctx context.Context, id string,
	edit func(*Outage) (EventType, error)) (Outage, error) {
	for attempt := 0; ; attempt++ {
		o, err := s.store.Outage(ctx, id)
		if err != nil {
			return Outage{}, err
		}
		typ, err := edit(&o)
		if err != nil {
			return Outage{}, err
		}
		o.UpdatedAt = s.now().In(s.policy.Location)

		var events []Event
		if typ != "" {
			if events, err = s.outageEvents(ctx, o, typ); err != nil {
				return Outage{}, err
			}
		}
		err = s.store.UpdateOutage(ctx, o, events)
		if errors.Is(err, ErrConflict) && attempt < updateRetries {
			continue
		}
		if err != nil {
			return Outage{}, fmt.Errorf("update outage %s: %w", id, err)
		}
		s.outages.forget()
		s.stored(events)
		o.Version++
		return o, nil
	}
}

// outageEvents makes one event per open ticket linked to the outage.
func (s *Service) outageEvents(ctx context.Context, o Outage, typ EventType) ([]Event, error) {
	linked, err := s.store.LinkedTickets(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("linked tickets of %s: %w", o.ID, err)
	}
	events := make([]Event, 0, len(linked))
	for _, t := range linked {
		c := Change{At: o.UpdatedAt, Actor: "system", Action: ActionOutage, To: string(typ), Note: o.ID}
		oc := o
		events = append(events, s.event(typ, t, c, &oc))
	}
	return events, nil
}

// Outage returns an outage.
func (s *Service) Outage(ctx context.Context, id string) (Outage, error) {
	return s.store.Outage(ctx, id)
}

// Outages lists open outages, or all with includeClosed.
func (s *Service) Outages(ctx context.Context, includeClosed bool, limit int) ([]Outage, error) {
	return s.store.Outages(ctx, includeClosed, limit)
}
