package tickets

import (
	"context"
	"errors"
	"fmt"
)

// scanBatch is how many due tickets one pass of the scanner reads.
const scanBatch = 200

// Scan marks the tickets whose time has come as at risk or breached and
// records an event for each, so the people working them hear of it. It
// returns how many tickets changed.
func (s *Service) Scan(ctx context.Context) (int, error) {
	now := s.now()
	due, err := s.store.DueTickets(ctx, now, scanBatch)
	if err != nil {
		return 0, fmt.Errorf("due tickets: %w", err)
	}
	changed := 0
	for _, t := range due {
		ok, err := s.rescore(ctx, t)
		if err != nil && !errors.Is(err, ErrConflict) {
			return changed, err
		}
		if ok {
			changed++
		}
	}
	return changed, nil
}

// rescore stores a ticket's new risk, or just its next watch time. A
// concurrent change wins; the next pass looks again.
func (s *Service) rescore(ctx context.Context, t Ticket) (bool, error) {
	now := s.now().In(s.policy.Location)
	risk := s.policy.Risk(t, now)
	var changes []Change
	var events []Event
	if risk != t.Risk {
		c := Change{At: now, Actor: "system", Action: ActionRisk, From: string(t.Risk), To: string(risk)}
		t.Risk = risk
		typ := EventAtRisk
		if risk == RiskBreached {
			typ = EventBreached
			s.log.Warn("ticket deadline breached", "ticket", t.ID, "kind", t.Kind)
		}
		changes = append(changes, c)
		events = append(events, s.crmOnly(s.event(typ, t, c, nil)))
	}
	t.WatchAt = s.policy.watchAt(t)
	if err := s.store.UpdateTicket(ctx, t, changes, events, nil); err != nil {
		return false, fmt.Errorf("rescore %s: %w", t.ID, err)
	}
	s.stored(events)
	return len(changes) > 0, nil
}
