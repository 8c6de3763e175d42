package tickets

import "time"

// Deadlines are one kind's time limits and starting priority.
type Deadlines struct {
	// Respond is the time to the first response.
	Respond time.Duration
	// Resolve is the time to the resolution.
	Resolve time.Duration
	// Priority is the priority a new ticket of the kind gets.
	Priority Priority
}

// Policy sets the deadlines per kind, when a ticket counts as at risk, and
// whether time is counted on a business calendar.
type Policy struct {
	// Kinds holds each kind's deadlines.
	Kinds map[Kind]Deadlines
	// AtRisk is the share of the time to a deadline after which an unmet
	// deadline is at risk, such as 0.8.
	AtRisk float64
	// Calendar, when set, counts deadlines in working-day hours only.
	Calendar *Calendar
	// Location is the operator's time zone, used for ticket ids and days.
	Location *time.Location
}

// DefaultPolicy is the service guide's: a request is answered within 24
// hours and resolved within 72; a complaint is answered within 48 hours and
// resolved within 72; a fault report is treated as a request. At risk after
// 80% of the time.
func DefaultPolicy() Policy {
	return Policy{
		Kinds: map[Kind]Deadlines{
			KindRequest:   {Respond: 24 * time.Hour, Resolve: 72 * time.Hour, Priority: PriorityNormal},
			KindFault:     {Respond: 24 * time.Hour, Resolve: 72 * time.Hour, Priority: PriorityNormal},
			KindComplaint: {Respond: 48 * time.Hour, Resolve: 72 * time.Hour, Priority: PriorityHigh},
		},
		AtRisk:   0.8,
		Location: time.UTC,
	}
}

// deadlines returns the response and resolution deadlines of a ticket of
// kind opened at created.
func (p Policy) deadlines(kind Kind, created time.Time) (respondBy, resolveBy time.Time) {
	d := p.Kinds[kind]
	if p.Calendar != nil {
		return p.Calendar.Add(created, d.Respond), p.Calendar.Add(created, d.Resolve)
	}
	return created.Add(d.Respond), created.Add(d.Resolve)
}

// unmet lists the deadlines a ticket has not met yet.
func (p Policy) unmet(t Ticket) []time.Time {
	if t.Status.Final() {
		return nil
	}
	var out []time.Time
	if t.RespondedAt.IsZero() && !t.RespondBy.IsZero() {
		out = append(out, t.RespondBy)
	}
	if t.ResolvedAt.IsZero() && !t.ResolveBy.IsZero() {
		out = append(out, t.ResolveBy)
	}
	return out
}

// riskPoint is when an unmet deadline becomes at risk.
func (p Policy) riskPoint(created, deadline time.Time) time.Time {
	return created.Add(time.Duration(float64(deadline.Sub(created)) * p.AtRisk))
}

// Risk returns the ticket's standing at now. It never goes down: a breach
// stays on the record after the ticket is resolved.
func (p Policy) Risk(t Ticket, now time.Time) Risk {
	r := t.Risk
	for _, d := range p.unmet(t) {
		switch {
		case !now.Before(d):
			return RiskBreached
		case !now.Before(p.riskPoint(t.CreatedAt, d)) && r == RiskNone:
			r = RiskAtRisk
		}
	}
	return r
}

// watchAt is when the ticket's risk may next change.
func (p Policy) watchAt(t Ticket) time.Time {
	if t.Risk == RiskBreached {
		return time.Time{}
	}
	var next time.Time
	for _, d := range p.unmet(t) {
		at := d
		if t.Risk == RiskNone {
			at = p.riskPoint(t.CreatedAt, d)
		}
		if next.IsZero() || at.Before(next) {
			next = at
		}
	}
	return next
}
