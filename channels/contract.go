package channels

import (
	"context"
	"errors"
)

// Receiver accepts inbound messages. The dialog engine implements it; a
// channel calls it before telling its provider the message was accepted.
type Receiver interface {
	// Receive stores the message durably, de-duplicates it by ProviderID
	// and processes it in order with the conversation's other messages.
	// An error means nothing was stored and the provider should retry.
	Receive(ctx context.Context, in Inbound) (Receipt, error)
}

// Receipt tells a channel what became of an inbound message.
type Receipt struct {
	// ConversationID is the conversation the message belongs to.
	ConversationID string
	// MessageID is the message's stable transcript id.
	MessageID string
	// Seq is its position in the transcript.
	Seq int64
	// Duplicate is true when the ProviderID was seen before; nothing was
	// done a second time.
	Duplicate bool
	// Replies is how many outbound messages answering this message were
	// committed with it; they reach the channel's Send with ReplyTo set to
	// MessageID. A channel that can answer in the provider's response
	// (WeChat's passive reply) waits for them.
	Replies int
}

// Channel is what a channel implements so the outbox can deliver to it.
type Channel interface {
	// Name is the channel's configured name, as used in Inbound.Channel.
	Name() string
	// Send delivers one message. It returns ErrNotConnected when the
	// subscriber cannot be reached now but will fetch the message from the
	// transcript later, and a *SendError otherwise.
	Send(ctx context.Context, m Outbound) error
}

// ErrNotConnected means the subscriber has no live connection; the message
// stays in the transcript and reaches them when they resume.
var ErrNotConnected = errors.New("subscriber not connected")

// SendError is a failed delivery, saying whether trying again may help.
type SendError struct {
	// Retryable is true for temporary failures (timeouts, 5xx, throttling)
	// and false for permanent ones (bad address, invalid message).
	Retryable bool
	// Err is the cause. It must not contain secrets or message text.
	Err error
}

// Error describes the failure.
func (e *SendError) Error() string {
	if e.Retryable {
		return "send failed (retryable): " + e.Err.Error()
	}
	return "send failed (permanent): " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }

// Retryable reports whether err is a delivery failure worth retrying.
func Retryable(err error) bool {
	var se *SendError
	if errors.As(err, &se) {
		return se.Retryable
	}
	return err != nil && !errors.Is(err, ErrNotConnected)
}
