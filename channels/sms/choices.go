package sms

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"hotline/channels"
	"hotline/dialog/textnorm"
)

// ChoiceLife is how long numbered answers offered to a number stay
// valid.
const ChoiceLife = time.Hour

// ChoiceStore remembers the quick replies last offered to each number, so
// an answer of "2" becomes the second one's payload. The channel passes
// its own clock, so every store measures ChoiceLife the same way.
//
// MemChoices keeps them in this process; a store shared by every gateway
// instance (Redis) lets an answer that reaches another instance, or
// comes after a restart, be read the same way.
type ChoiceStore interface {
	// Offer records the replies sent to phone at a time, in place of any
	// offered before; none clears them.
	Offer(ctx context.Context, phone string, replies []channels.QuickReply, at time.Time) error
	// Pick returns the nth reply (from 1) last offered to phone, and
	// false when there is none or the offer is older than ChoiceLife at
	// the time given.
	Pick(ctx context.Context, phone string, n int, at time.Time) (channels.QuickReply, bool, error)
}

// MemChoices is the ChoiceStore of one process: a restart forgets the
// offers, and other instances do not see them. It is safe for concurrent
// use.
type MemChoices struct {
	mu   sync.Mutex
	byTo map[string]offered
}

var _ ChoiceStore = (*MemChoices)(nil)

type offered struct {
	replies []channels.QuickReply
	at      time.Time
}

// NewMemChoices returns an empty store.
func NewMemChoices() *MemChoices {
	return &MemChoices{byTo: map[string]offered{}}
}

// Offer records the replies sent to phone; none clears them. Offers past
// their life are dropped on the way. It never fails.
func (c *MemChoices) Offer(_ context.Context, phone string, replies []channels.QuickReply, at time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, o := range c.byTo {
		if at.Sub(o.at) > ChoiceLife {
			delete(c.byTo, k)
		}
	}
	if len(replies) == 0 {
		delete(c.byTo, phone)
		return nil
	}
	c.byTo[phone] = offered{replies: append([]channels.QuickReply(nil), replies...), at: at}
	return nil
}

// Pick returns the nth reply last offered to phone, if still valid. It
// never fails.
func (c *MemChoices) Pick(_ context.Context, phone string, n int, at time.Time) (channels.QuickReply, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	o, ok := c.byTo[phone]
	if !ok || n < 1 || n > len(o.replies) || at.Sub(o.at) > ChoiceLife {
		return channels.QuickReply{}, false, nil
	}
	return o.replies[n-1], true, nil
}

// offer records what a message sent to a number offered. The message has
// gone out already, so a store that fails only costs the mapping of a
// numbered answer: it is logged, not returned.
func (c *Channel) offer(ctx context.Context, phone string, replies []channels.QuickReply) {
	if err := c.cfg.Choices.Offer(ctx, phone, replies, c.cfg.Now()); err != nil {
		c.cfg.Log.Warn("sms numbered answers not recorded", "channel", c.cfg.Name, "error", err)
	}
}

// pick returns the quick reply a numeric answer chooses, if any. When the
// store fails the answer goes to the dialog as text, where a form's
// question still reads it as the option's number.
func (c *Channel) pick(ctx context.Context, phone, text string) (channels.QuickReply, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(strings.Map(textnorm.Fold, text)))
	if err != nil || n < 1 {
		return channels.QuickReply{}, false
	}
	q, ok, err := c.cfg.Choices.Pick(ctx, phone, n, c.cfg.Now())
	if err != nil {
		c.cfg.Log.Warn("sms numbered answers not read", "channel", c.cfg.Name, "error", err)
		return channels.QuickReply{}, false
	}
	return q, ok
}
