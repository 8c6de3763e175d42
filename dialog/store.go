package dialog

import (
	"context"
	"errors"
	"time"
)

// Store keeps conversations, their transcripts and the unanswered-question
// log. The embedded SQLite store implements it; a PostgreSQL store can
// replace it without changing the engine.
type Store interface {
	// FindConversation returns the conversation of a channel address, or
	// ErrNotFound.
	FindConversation(ctx context.Context, channel, address string) (Conversation, error)
	// Conversation returns a conversation by id, or ErrNotFound.
	Conversation(ctx context.Context, id string) (Conversation, error)
	// FindInbound returns the inbound message stored under a provider id in
	// a conversation, or ErrNotFound.
	FindInbound(ctx context.Context, conversationID, providerID string) (Message, error)
	// Commit applies a change atomically. It returns ErrConflict when the
	// conversation changed since Change.Conversation.Version was read (or
	// already exists when Version is 0).
	Commit(ctx context.Context, c Change) error
	// MessagesAfter returns up to limit messages with a sequence above
	// afterSeq, oldest first; with more than limit, the newest ones.
	MessagesAfter(ctx context.Context, conversationID string, afterSeq int64, limit int) ([]Message, error)
	// MessageSeq returns the sequence of a message in a conversation, or
	// ErrNotFound.
	MessageSeq(ctx context.Context, conversationID, messageID string) (int64, error)
	// IdleConversations returns up to limit conversations that are not
	// closed and have been inactive since before the given time.
	IdleConversations(ctx context.Context, before time.Time, limit int) ([]Conversation, error)
	// PendingDeliveries returns up to limit outbound messages created
	// before the given time and still waiting for delivery, oldest first,
	// with their conversations.
	PendingDeliveries(ctx context.Context, before time.Time, limit int) ([]PendingDelivery, error)
	// MarkDeliveries records the outcomes of delivery attempts.
	MarkDeliveries(ctx context.Context, updates []DeliveryUpdate) error
	// DeleteBefore deletes transcript messages and unanswered questions
	// older than t, and conversations inactive since before t; it returns
	// how many messages it deleted.
	DeleteBefore(ctx context.Context, t time.Time) (int64, error)
}

// Change is one atomic step of a conversation: its new record, the
// messages appended to its transcript and the questions it could not answer.
type Change struct {
	// Conversation is the new record. Its Version is the version it was
	// read at; 0 means it is new.
	Conversation Conversation
	// Messages are appended in order; their Seq values are already set.
	Messages []Message
	// Unanswered are added to the unanswered-question log.
	Unanswered []Unanswered
	// Visit is what the change adds to the conversation's open visit;
	// nil when it adds nothing.
	Visit *VisitChange
}

// PendingDelivery is an outbound message waiting for its channel.
type PendingDelivery struct {
	// Message is the outbound message.
	Message Message
	// Conversation says where it goes.
	Conversation Conversation
}

// DeliveryUpdate is the outcome of one delivery attempt.
type DeliveryUpdate struct {
	// MessageID is the outbound message.
	MessageID string
	// Status is its new outbox status.
	Status Delivery
	// Attempts is the number of attempts made so far.
	Attempts int
	// Channel is the channel the message went to, for counting; stores
	// do not keep it.
	Channel string
}

// Errors a Store returns.
var (
	// ErrNotFound means the record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the record changed since it was read, or a unique
	// key (such as a provider message id) is already taken.
	ErrConflict = errors.New("conflict")
)
