package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"hotline/channels"
	"hotline/channels/sms"
)

// SMSChoices is the sms.ChoiceStore every instance shares, for one SMS
// channel: an answer of "2" that reaches any instance picks the second
// reply the number was last offered, whichever instance sent it.
//
// Each number has one key, <prefix>:sms:<channel>:choices:<digest> (see
// numberDigest), holding the offer as JSON: its time and the replies. The
// key lives sms.ChoiceLife; the time in it lets a pick measure the life
// by the caller's clock as sms.MemChoices does.
type SMSChoices struct {
	rdb     redis.UniversalClient
	keys    Keys
	channel string
}

var _ sms.ChoiceStore = (*SMSChoices)(nil)

// NewSMSChoices keeps the offers of the SMS channel named channel under
// keys.
func NewSMSChoices(rdb redis.UniversalClient, keys Keys, channel string) *SMSChoices {
	return &SMSChoices{rdb: rdb, keys: keys, channel: channel}
}

// offer is an offer as stored.
type offer struct {
	At      int64                 `json:"at"` // Unix milliseconds
	Replies []channels.QuickReply `json:"replies"`
}

func (c *SMSChoices) key(phone string) string {
	return c.keys.Key("sms", c.channel, "choices", numberDigest(phone))
}

// Offer records the replies sent to phone at a time; none deletes the
// key.
func (c *SMSChoices) Offer(ctx context.Context, phone string, replies []channels.QuickReply, at time.Time) error {
	var err error
	if len(replies) == 0 {
		err = c.rdb.Del(ctx, c.key(phone)).Err()
	} else {
		b, _ := json.Marshal(offer{At: at.UnixMilli(), Replies: replies})
		err = c.rdb.Set(ctx, c.key(phone), b, sms.ChoiceLife).Err()
	}
	if err != nil {
		return fmt.Errorf("offer sms choices: %w (%w)", ErrUnavailable, err)
	}
	return nil
}

// Pick returns the nth reply last offered to phone, if still valid.
func (c *SMSChoices) Pick(ctx context.Context, phone string, n int, at time.Time) (channels.QuickReply, bool, error) {
	b, err := c.rdb.Get(ctx, c.key(phone)).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		return channels.QuickReply{}, false, nil
	case err != nil:
		return channels.QuickReply{}, false, fmt.Errorf("read sms choices: %w (%w)", ErrUnavailable, err)
	}
	var o offer
	if err := json.Unmarshal(b, &o); err != nil {
		return channels.QuickReply{}, false, fmt.Errorf("read sms choices: %w", err)
	}
	if n < 1 || n > len(o.Replies) || at.Sub(time.UnixMilli(o.At)) > sms.ChoiceLife {
		return channels.QuickReply{}, false, nil
	}
	return o.Replies[n-1], true, nil
}
