package sms

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"hotline/channels"
	"hotline/dialog/textnorm"
)

// choiceLife is how long numbered answers offered to a number stay
// valid.
const choiceLife = time.Hour

// choices remembers the quick replies last offered to each number, so an
// answer of "2" becomes the second one's payload. It lives in memory: on
// another instance, or after a restart, a bare number goes to the dialog
// as text, where a form's question still reads it as the option's number.
type choices struct {
	mu   sync.Mutex
	now  func() time.Time
	byTo map[string]offered
}

type offered struct {
	replies []channels.QuickReply
	at      time.Time
}

func newChoices(now func() time.Time) *choices {
	return &choices{now: now, byTo: map[string]offered{}}
}

// offer records the quick replies sent to a number; none clears them.
func (c *choices) offer(phone string, replies []channels.QuickReply) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for k, o := range c.byTo {
		if now.Sub(o.at) > choiceLife {
			delete(c.byTo, k)
		}
	}
	if len(replies) == 0 {
		delete(c.byTo, phone)
		return
	}
	c.byTo[phone] = offered{replies: replies, at: now}
}

// pick returns the quick reply a numeric answer chooses, if any.
func (c *choices) pick(phone, text string) (channels.QuickReply, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(strings.Map(textnorm.Fold, text)))
	if err != nil || n < 1 {
		return channels.QuickReply{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	o, ok := c.byTo[phone]
	if !ok || n > len(o.replies) || c.now().Sub(o.at) > choiceLife {
		return channels.QuickReply{}, false
	}
	return o.replies[n-1], true
}
