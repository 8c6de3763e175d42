package sms

import (
	"context"
	"time"
)

// Store is what the channel keeps durably: who opted out, which keyword
// messages it has already handled, and the provider ids of what it sent,
// so delivery reports find their message. It is shared by every SMS
// channel; opt-outs are per number, whichever channel they came in on.
type Store interface {
	// Keyword records a keyword message once per channel and provider
	// key, and for OptOut and OptIn sets the number's opt-out in the same
	// commit. It reports false when the key was recorded before (a
	// provider's retry), in which case nothing changes.
	Keyword(ctx context.Context, channel, key, phone string, kw Keyword, at time.Time) (bool, error)
	// OptedOut reports whether a number has opted out.
	OptedOut(ctx context.Context, phone string) (bool, error)
	// RecordSends remembers the provider's ids of sent messages.
	RecordSends(ctx context.Context, channel string, sent []Sent) error
	// Advance applies a delivery report if it moves the message's status
	// forward (see Status.Rank), and reports whether it did. A report
	// that comes before its send is recorded is kept for it.
	Advance(ctx context.Context, channel string, r Report, at time.Time) (bool, error)
}

// Sent is a message the provider took, by the provider's id.
type Sent struct {
	// ProviderID is the provider's id, as its reports name it.
	ProviderID string
	// MessageID is the transcript's id of the message.
	MessageID string
	// At is when the provider took it.
	At time.Time
}
