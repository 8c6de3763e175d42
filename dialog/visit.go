package dialog

import (
	"strconv"
	"time"
)

// A visit is one stretch of a conversation: it begins with the
// subscriber's first message after the conversation was new or closed
// and ends when the conversation is closed for being idle. Supervisors'
// figures (how many visits the bot settled alone, how many went to a
// person, how fast an agent first replied, how the service was rated)
// count visits, because a conversation on WeChat or SMS lives as long as
// the follower or the number.
//
// The turn records what happened in the visit as a VisitChange, committed
// with the turn, so the figures are as durable as the transcript. A
// visit's record holds no personal data: ids, times, counts, a rating.
type VisitChange struct {
	// ID identifies the visit; the store keeps one record per id.
	ID string
	// ConversationID and Channel say whose visit it is.
	ConversationID string
	// Channel is the conversation's channel.
	Channel string
	// StartedAt is when the visit began.
	StartedAt time.Time

	// Answered and Unanswered are questions the knowledge base answered,
	// and could not answer confidently, in this turn; they add up.
	Answered, Unanswered int
	// Tickets is how many tickets this turn opened; it adds up.
	Tickets int

	// HandoffAt is when the visit first asked for a person; a later
	// request keeps the first time. Zero: not in this turn.
	HandoffAt time.Time
	// AgentID is the agent who took or answered the visit; the last one
	// set stays.
	AgentID string
	// FirstReplyAt is an agent's first reply; a later one keeps the first.
	FirstReplyAt time.Time
	// Rating is a 1-5 rating of an agent's service given in this turn, for
	// RatedAgent; the last one given stays.
	Rating int
	// RatedAgent is the agent the rating is for.
	RatedAgent string
	// EndedAt is when the visit ended: the last activity before the
	// conversation was closed.
	EndedAt time.Time
}

// Slots that keep the open visit in the conversation record.
const (
	slotVisit      = "visit"       // the open visit's id
	slotVisitStart = "visit.start" // its start, Unix milliseconds
	slotRatedAgent = "rated.agent" // the agent a service rating would be for
)

// openVisit starts a visit when the subscriber writes to a conversation
// with none open.
func (t *turn) openVisit() {
	if t.conv.Slots[slotVisit] != "" && t.conv.State != StateClosed {
		return
	}
	t.setSlot(slotVisit, NewID("v_", t.now))
	t.setSlot(slotVisitStart, strconv.FormatInt(t.now.UnixMilli(), 10))
	t.visit = nil
	t.visitFacts()
}

// visitFacts returns the turn's change to the open visit, or nil when no
// visit is open (a ticket notice to a closed conversation opens none).
func (t *turn) visitFacts() *VisitChange {
	if t.visit != nil {
		return t.visit
	}
	id := t.conv.Slots[slotVisit]
	if id == "" {
		return nil
	}
	ms, _ := strconv.ParseInt(t.conv.Slots[slotVisitStart], 10, 64)
	t.visit = &VisitChange{ID: id, ConversationID: t.conv.ID, Channel: t.conv.Channel,
		StartedAt: time.UnixMilli(ms).UTC()}
	return t.visit
}

// noteVisit applies fn to the open visit's change, if a visit is open.
func (t *turn) noteVisit(fn func(v *VisitChange)) {
	if v := t.visitFacts(); v != nil {
		fn(v)
	}
}

// closeVisit ends the open visit at the conversation's last activity.
func (t *turn) closeVisit(lastActive time.Time) {
	t.noteVisit(func(v *VisitChange) { v.EndedAt = lastActive })
	t.setSlot(slotVisit, "")
	t.setSlot(slotVisitStart, "")
}

// Notes the turn makes as things happen.

func (t *turn) visitAnswered()   { t.noteVisit(func(v *VisitChange) { v.Answered++ }) }
func (t *turn) visitUnanswered() { t.noteVisit(func(v *VisitChange) { v.Unanswered++ }) }
func (t *turn) visitTicket()     { t.noteVisit(func(v *VisitChange) { v.Tickets++ }) }
func (t *turn) visitHandoff()    { t.noteVisit(func(v *VisitChange) { v.HandoffAt = t.now }) }

func (t *turn) visitAgent(agentID string) {
	t.noteVisit(func(v *VisitChange) { v.AgentID = agentID })
}

func (t *turn) visitAgentReply(agentID string) {
	t.noteVisit(func(v *VisitChange) {
		v.AgentID = agentID
		v.FirstReplyAt = t.now
	})
}

func (t *turn) visitRating(n int) {
	agent := t.conv.Slots[slotRatedAgent]
	t.setSlot(slotRatedAgent, "")
	t.noteVisit(func(v *VisitChange) {
		v.Rating = n
		v.RatedAgent = agent
	})
}
