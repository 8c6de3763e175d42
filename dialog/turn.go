package dialog

import (
	"context"
	"time"

	"hotline/channels"
	"hotline/dialog/intent"
)

// turn is the work of one inbound message (or one timer) on one
// conversation: the record as it changes, the transcript messages it
// appends and the questions it could not answer. Nothing in a turn touches
// the store; the engine commits it whole.
type turn struct {
	ctx        context.Context
	texts      *Texts
	now        time.Time
	conv       Conversation
	in         *Message
	messages   []Message
	unanswered []Unanswered
	visit      *VisitChange // what the turn adds to the open visit, if any

	decision *intent.Decision // what the inbound text reads as, once asked
}

func newTurn(ctx context.Context, texts *Texts, conv Conversation, now time.Time) *turn {
	return &turn{ctx: ctx, texts: texts, now: now, conv: conv}
}

// append adds a message to the transcript with the next sequence number.
func (t *turn) append(m Message) *Message {
	t.conv.LastSeq++
	m.ID = NewID("m_", t.now)
	m.ConversationID = t.conv.ID
	m.Seq = t.conv.LastSeq
	m.CreatedAt = t.now
	t.messages = append(t.messages, m)
	return &t.messages[len(t.messages)-1]
}

// receive records the subscriber's message as the turn's inbound message.
func (t *turn) receive(in channels.Inbound) {
	added := t.append(Message{
		Direction:   In,
		From:        FromSubscriber,
		Text:        in.Text,
		Payload:     in.Payload,
		Event:       in.Event,
		Attachments: in.Attachments,
		ProviderID:  in.ProviderID,
	})
	in2 := *added // a copy: later appends may move the slice
	t.in = &in2
	t.conv.ActiveAt = t.now
}

// recordPayload stores on the turn's inbound message what the bot read it
// as, such as the rating a typed "5" gives, so the transcript keeps the
// meaning along with the words.
func (t *turn) recordPayload(p string) {
	for i := range t.messages {
		if t.messages[i].Direction == In {
			t.messages[i].Payload = p
			t.in.Payload = p
			return
		}
	}
}

// maskInbound replaces the text of the turn's inbound message in the
// transcript, for what must not be kept, such as a one-time code.
func (t *turn) maskInbound(text string) {
	for i := range t.messages {
		if t.messages[i].Direction == In {
			t.messages[i].Text = text
			t.in.Text = text
			return
		}
	}
}

// reply appends an outbound message for the outbox and returns it, valid
// until the next append.
func (t *turn) reply(from, text string, quick []channels.QuickReply) *Message {
	m := Message{
		Direction:    Out,
		From:         from,
		Text:         text,
		QuickReplies: quick,
		Delivery:     DeliveryPending,
	}
	if t.in != nil {
		m.ReplyTo = t.in.ID
	}
	added := t.append(m)
	t.conv.ActiveAt = t.now
	return added
}

// say replies with one of the bot's own texts in the conversation's language.
func (t *turn) say(from string, k textKey) {
	t.reply(from, t.texts.get(k, t.conv.Lang), nil)
}

// outbound returns the messages the turn produced for the subscriber.
func (t *turn) outbound() []Message {
	var out []Message
	for _, m := range t.messages {
		if m.Direction == Out {
			out = append(out, m)
		}
	}
	return out
}

// change is what the engine commits for the turn.
func (t *turn) change() Change {
	return Change{Conversation: t.conv, Messages: t.messages, Unanswered: t.unanswered, Visit: t.visit}
}

// slots returns the conversation's slots for changing in place. The map
// is the turn's own: the cache hands out copies.
func (t *turn) slots() map[string]string {
	if t.conv.Slots == nil {
		t.conv.Slots = map[string]string{}
	}
	return t.conv.Slots
}

// setSlot sets or, with an empty value, removes one of the conversation's
// slots.
func (t *turn) setSlot(key, value string) {
	if value == "" {
		delete(t.conv.Slots, key)
		return
	}
	t.slots()[key] = value
}
