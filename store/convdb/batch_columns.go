package convdb

import (
	"hotline/dialog"
)

// The batch statement takes its rows column by column, as arrays. Each
// type below gathers one table's rows and returns its arrays in the
// statement's order.

// updateColumns gathers records to update.
type updateColumns struct {
	id, subscriber, state, lang, slots []string
	version, misses, lastSeq, activeAt []int64
}

func (u *updateColumns) add(c dialog.Conversation, slots string) {
	u.id, u.version = append(u.id, c.ID), append(u.version, c.Version)
	u.subscriber, u.state = append(u.subscriber, c.SubscriberID), append(u.state, c.State)
	u.lang, u.misses = append(u.lang, c.Lang), append(u.misses, int64(c.Misses))
	u.slots, u.lastSeq = append(u.slots, slots), append(u.lastSeq, c.LastSeq)
	u.activeAt = append(u.activeAt, c.ActiveAt.UnixMilli())
}

func (u *updateColumns) args() []any {
	return []any{orEmpty(u.id), orNone(u.version), orEmpty(u.subscriber), orEmpty(u.state),
		orEmpty(u.lang), orNone(u.misses), orEmpty(u.slots), orNone(u.lastSeq), orNone(u.activeAt)}
}

// insertColumns gathers new records.
type insertColumns struct {
	id, channel, address, subscriber, state, lang, slots []string
	misses, lastSeq, createdAt, activeAt                 []int64
}

func (n *insertColumns) add(c dialog.Conversation, slots string) {
	n.id, n.channel, n.address = append(n.id, c.ID), append(n.channel, c.Channel), append(n.address, c.Address)
	n.subscriber, n.state = append(n.subscriber, c.SubscriberID), append(n.state, c.State)
	n.lang, n.misses = append(n.lang, c.Lang), append(n.misses, int64(c.Misses))
	n.slots, n.lastSeq = append(n.slots, slots), append(n.lastSeq, c.LastSeq)
	n.createdAt, n.activeAt = append(n.createdAt, c.CreatedAt.UnixMilli()), append(n.activeAt, c.ActiveAt.UnixMilli())
}

func (n *insertColumns) args() []any {
	return []any{orEmpty(n.id), orEmpty(n.channel), orEmpty(n.address), orEmpty(n.subscriber),
		orEmpty(n.state), orEmpty(n.lang), orNone(n.misses), orEmpty(n.slots), orNone(n.lastSeq),
		orNone(n.createdAt), orNone(n.activeAt)}
}

// messageColumns gathers transcript messages.
type messageColumns struct {
	id, conv, direction, sender, body, replyTo, delivery []string
	provider                                             []*string
	seq, createdAt, attempts                             []int64
}

func (m *messageColumns) add(msg dialog.Message) error {
	b, err := encodeBody(msg)
	if err != nil {
		return err
	}
	var provider *string
	if msg.ProviderID != "" {
		p := msg.ProviderID
		provider = &p
	}
	m.id, m.conv, m.seq = append(m.id, msg.ID), append(m.conv, msg.ConversationID), append(m.seq, msg.Seq)
	m.direction, m.sender = append(m.direction, string(msg.Direction)), append(m.sender, msg.From)
	m.body, m.provider, m.replyTo = append(m.body, b), append(m.provider, provider), append(m.replyTo, msg.ReplyTo)
	m.createdAt, m.delivery = append(m.createdAt, msg.CreatedAt.UnixMilli()), append(m.delivery, string(msg.Delivery))
	m.attempts = append(m.attempts, int64(msg.Attempts))
	return nil
}

func (m *messageColumns) args() []any {
	provider := m.provider
	if provider == nil {
		provider = []*string{}
	}
	return []any{orEmpty(m.id), orEmpty(m.conv), orNone(m.seq), orEmpty(m.direction),
		orEmpty(m.sender), orEmpty(m.body), provider, orEmpty(m.replyTo), orNone(m.createdAt),
		orEmpty(m.delivery), orNone(m.attempts)}
}

// unansweredColumns gathers unanswered questions.
type unansweredColumns struct {
	conv, message, text, best []string
	score                     []float64
	suggested, at             []int64
}

func (q *unansweredColumns) add(u dialog.Unanswered) {
	suggested := int64(0)
	if u.Suggested {
		suggested = 1
	}
	q.conv, q.message, q.text = append(q.conv, u.ConversationID), append(q.message, u.MessageID), append(q.text, u.Text)
	q.best, q.score = append(q.best, u.BestEntry), append(q.score, u.BestScore)
	q.suggested, q.at = append(q.suggested, suggested), append(q.at, u.At.UnixMilli())
}

func (q *unansweredColumns) args() []any {
	score := q.score
	if score == nil {
		score = []float64{}
	}
	return []any{orEmpty(q.conv), orEmpty(q.message), orEmpty(q.text), orEmpty(q.best), score,
		orNone(q.suggested), orNone(q.at)}
}

// visitColumns gathers visit changes.
type visitColumns struct {
	id, conv, channel, agent, ratedAgent                                         []string
	started, answered, unanswered, tickets, handoff, firstReply, rating, endedAt []int64
}

func (w *visitColumns) add(v dialog.VisitChange) {
	w.id, w.conv, w.channel = append(w.id, v.ID), append(w.conv, v.ConversationID), append(w.channel, v.Channel)
	w.started = append(w.started, v.StartedAt.UnixMilli())
	w.answered, w.unanswered = append(w.answered, int64(v.Answered)), append(w.unanswered, int64(v.Unanswered))
	w.tickets, w.handoff = append(w.tickets, int64(v.Tickets)), append(w.handoff, millisOrZero(v.HandoffAt))
	w.agent, w.firstReply = append(w.agent, v.AgentID), append(w.firstReply, millisOrZero(v.FirstReplyAt))
	w.rating, w.ratedAgent = append(w.rating, int64(v.Rating)), append(w.ratedAgent, v.RatedAgent)
	w.endedAt = append(w.endedAt, millisOrZero(v.EndedAt))
}

func (w *visitColumns) args() []any {
	return []any{orEmpty(w.id), orEmpty(w.conv), orEmpty(w.channel), orNone(w.started),
		orNone(w.answered), orNone(w.unanswered), orNone(w.tickets), orNone(w.handoff),
		orEmpty(w.agent), orNone(w.firstReply), orNone(w.rating), orEmpty(w.ratedAgent),
		orNone(w.endedAt)}
}

// orEmpty is a text column that is an empty array rather than NULL when
// no row has it.
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// orNone is orEmpty for number columns.
func orNone(n []int64) []int64 {
	if n == nil {
		return []int64{}
	}
	return n
}
