package dialog

import (
	"time"

	"hotline/channels"
)

// Conversation is the stored record of one conversation: one channel
// address, its dialog state and counters. It is small on purpose; the
// transition table lives in code, once, and is shared by all.
type Conversation struct {
	// ID is the conversation's stable id.
	ID string
	// Channel and Address identify the subscriber on one channel.
	Channel string
	// Address is the channel-scoped subscriber id; personal data.
	Address string
	// SubscriberID is the subscriber record the address is bound to, if any.
	SubscriberID string
	// State is the dialog state's name.
	State string
	// Lang is the language of the bot's own texts: zh or en.
	Lang string
	// Misses counts consecutive messages the bot could not answer.
	Misses int
	// Slots holds form progress and details collected from the subscriber.
	Slots map[string]string
	// LastSeq is the sequence number of the latest transcript message.
	LastSeq int64
	// Version increases with every stored change; a store rejects a change
	// made from an older version.
	Version int64
	// CreatedAt is when the conversation began.
	CreatedAt time.Time
	// ActiveAt is when the subscriber or the bot last wrote.
	ActiveAt time.Time
}

// Direction says whether a message came from the subscriber or went to them.
type Direction string

// The two directions of a transcript message.
const (
	In  Direction = "in"
	Out Direction = "out"
)

// Senders of transcript messages.
const (
	FromSubscriber = "subscriber"
	FromBot        = "bot"
	FromAgent      = "agent"
	FromSystem     = "system"
)

// Delivery is the outbox status of an outbound message.
type Delivery string

// Outbox statuses. Inbound messages have none.
const (
	// DeliveryPending waits for its channel's sender.
	DeliveryPending Delivery = "pending"
	// DeliverySent was handed to the provider or written to a live socket.
	DeliverySent Delivery = "sent"
	// DeliveryHeld found no live connection; the client fetches it from
	// the transcript when it resumes.
	DeliveryHeld Delivery = "held"
	// DeliveryFailed failed permanently or ran out of retries.
	DeliveryFailed Delivery = "failed"
)

// Message is one entry of a conversation's append-only transcript.
type Message struct {
	// ID is the message's stable id.
	ID string
	// ConversationID is the conversation it belongs to.
	ConversationID string
	// Seq is the message's position in the conversation, from 1.
	Seq int64
	// Direction is In for the subscriber's messages, Out otherwise.
	Direction Direction
	// From is subscriber, bot, agent or system.
	From string
	// Text is the message body; personal data.
	Text string
	// Payload is the quick-reply payload of an inbound message.
	Payload string
	// QuickReplies are the buttons of an outbound message.
	QuickReplies []channels.QuickReply
	// Links are the links of an outbound message.
	Links []channels.Link
	// Event is set for an inbound event.
	Event *channels.Event
	// Attachments are an inbound message's media.
	Attachments []channels.Attachment
	// ProviderID is an inbound message's provider id, the dedup key.
	ProviderID string
	// ReplyTo is the inbound message an outbound one answers.
	ReplyTo string
	// CreatedAt is when it was stored.
	CreatedAt time.Time
	// Delivery is an outbound message's outbox status.
	Delivery Delivery
	// Attempts counts delivery attempts.
	Attempts int
}

// Outbound converts an outbound transcript message for its channel.
func (m Message) Outbound(c Conversation) channels.Outbound {
	return channels.Outbound{
		ID:             m.ID,
		ConversationID: m.ConversationID,
		Seq:            m.Seq,
		Channel:        c.Channel,
		Address:        c.Address,
		From:           m.From,
		Text:           m.Text,
		QuickReplies:   m.QuickReplies,
		Links:          m.Links,
		ReplyTo:        m.ReplyTo,
		CreatedAt:      m.CreatedAt,
	}
}

// Unanswered is a question the bot could not answer confidently, kept so
// the people who maintain the knowledge base can see what to add.
type Unanswered struct {
	// ConversationID and MessageID point at the question in the transcript.
	ConversationID string
	// MessageID is the question's transcript id.
	MessageID string
	// Text is the question; personal data, kept only in the store.
	Text string
	// BestEntry is the closest knowledge base entry, if any.
	BestEntry string
	// BestScore is that entry's score.
	BestScore float64
	// Suggested is true when the bot offered choices, false when it had none.
	Suggested bool
	// At is when it was asked.
	At time.Time
}
