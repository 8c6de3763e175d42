package tickets

import "fmt"

// Status is a ticket's place in its life.
type Status string

// Statuses. A ticket starts new, is assigned and worked, and is resolved
// (the subscriber is told the result) and then closed. It can be cancelled
// before it is resolved, and reopened after.
const (
	StatusNew        Status = "new"
	StatusAssigned   Status = "assigned"
	StatusInProgress Status = "in_progress"
	StatusResolved   Status = "resolved"
	StatusClosed     Status = "closed"
	StatusCancelled  Status = "cancelled"
	StatusReopened   Status = "reopened"
)

// Statuses lists every status, for validation and documentation.
func Statuses() []Status {
	return []Status{StatusNew, StatusAssigned, StatusInProgress, StatusResolved,
		StatusClosed, StatusCancelled, StatusReopened}
}

// moves lists the statuses each status may change to.
var moves = map[Status][]Status{
	StatusNew:        {StatusAssigned, StatusInProgress, StatusResolved, StatusCancelled},
	StatusAssigned:   {StatusAssigned, StatusInProgress, StatusResolved, StatusCancelled},
	StatusInProgress: {StatusAssigned, StatusResolved, StatusCancelled},
	StatusResolved:   {StatusClosed, StatusReopened},
	StatusClosed:     {StatusReopened},
	StatusCancelled:  {},
	StatusReopened:   {StatusAssigned, StatusInProgress, StatusResolved, StatusCancelled},
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	_, ok := moves[s]
	return ok
}

// Final reports whether no work is left: closed or cancelled.
func (s Status) Final() bool { return s == StatusClosed || s == StatusCancelled }

// CanMove reports whether a ticket in status s may change to next.
func (s Status) CanMove(next Status) bool {
	for _, n := range moves[s] {
		if n == next {
			return true
		}
	}
	return false
}

// TransitionError is a status change the rules do not allow.
type TransitionError struct {
	// From is the ticket's status.
	From Status
	// To is the status asked for.
	To Status
}

func (e *TransitionError) Error() string {
	allowed := moves[e.From]
	if len(allowed) == 0 {
		return fmt.Sprintf("a %s ticket cannot change status", e.From)
	}
	return fmt.Sprintf("a %s ticket cannot become %s; allowed: %v", e.From, e.To, allowed)
}
