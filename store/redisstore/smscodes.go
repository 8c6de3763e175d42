package redisstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"hotline/channels/sms"
)

// smsBindTag is the hash tag of every key of the binding codes, so one
// script can count a code against a number and a conversation together.
const smsBindTag = "smsbind"

// SMSCodes is the sms.CodeStore every instance shares: a code sent by one
// is checked by any, and the send limits count the codes of all of them.
//
// Keys, all under one hash tag:
//
//	<prefix>{smsbind}:code:<conversation>     hash: phone, hash, expires, left
//	<prefix>{smsbind}:sent:number:<digest>    sorted set: send times
//	<prefix>{smsbind}:sent:conversation:<id>  sorted set: send times
//
// A pending code keeps the code's digest, never the code, and lives
// sms.CodeLife; the send times live an hour. Numbers appear in key names
// only as digests (numberDigest). Every change is one Lua script, so two
// instances cannot both take a number's last code of the hour or a
// code's last try.
type SMSCodes struct {
	rdb  redis.UniversalClient
	keys Keys
}

var _ sms.CodeStore = (*SMSCodes)(nil)

// NewSMSCodes keeps the codes under keys.
func NewSMSCodes(rdb redis.UniversalClient, keys Keys) *SMSCodes {
	return &SMSCodes{rdb: rdb, keys: keys}
}

// numberDigest names a phone number in keys without writing it: a digest
// of the number in E.164. It keeps numbers out of key listings and
// monitors; it does not stop someone who hashes every possible number.
func numberDigest(phone string) string {
	sum := sha256.Sum256([]byte("hotline sms number\x00" + phone))
	return hex.EncodeToString(sum[:16])
}

// reserveScript counts a code against the number's sends (KEYS[1]) and
// the conversation's (KEYS[2]): ARGV are the time and the window in
// milliseconds, the most codes in the window, the least gap between two
// codes to the number in milliseconds, and a member unique to this code.
// It returns 1 when the code is counted and 0, counting nothing, when a
// limit refuses it.
var reserveScript = redis.NewScript(`
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local most, gap = tonumber(ARGV[3]), tonumber(ARGV[4])
for _, k in ipairs(KEYS) do
	redis.call('ZREMRANGEBYSCORE', k, '-inf', now - window)
end
if redis.call('ZCARD', KEYS[1]) >= most or redis.call('ZCARD', KEYS[2]) >= most then
	return 0
end
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] and now - tonumber(last[2]) < gap then
	return 0
end
for _, k in ipairs(KEYS) do
	redis.call('ZADD', k, now, ARGV[5])
	redis.call('PEXPIRE', k, window)
end
return 1
`)

// Reserve counts a code against the limits, or returns
// sms.ErrBindLimited. Send times are a sliding hour, as in sms.MemCodes.
func (c *SMSCodes) Reserve(ctx context.Context, conversationID, phone string, at time.Time) error {
	member := make([]byte, 8)
	_, _ = rand.Read(member)
	keys := []string{c.keys.Tagged(smsBindTag, "sent", "number", numberDigest(phone)),
		c.keys.Tagged(smsBindTag, "sent", "conversation", conversationID)}
	n, err := reserveScript.Run(ctx, c.rdb, keys, at.UnixMilli(), time.Hour.Milliseconds(),
		sms.CodesPerHour, sms.CodeGap.Milliseconds(), hex.EncodeToString(member)).Int()
	if err != nil {
		return fmt.Errorf("reserve sms code: %w (%w)", ErrUnavailable, err)
	}
	if n != 1 {
		return sms.ErrBindLimited
	}
	return nil
}

// Put makes p the conversation's pending code, in one transaction.
func (c *SMSCodes) Put(ctx context.Context, conversationID string, p sms.PendingCode) error {
	key := c.codeKey(conversationID)
	_, err := c.rdb.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.Del(ctx, key)
		pipe.HSet(ctx, key, "phone", p.Phone, "hash", hex.EncodeToString(p.Hash[:]),
			"expires", p.Expires.UnixMilli(), "left", p.Tries)
		pipe.PExpire(ctx, key, sms.CodeLife)
		return nil
	})
	if err != nil {
		return fmt.Errorf("keep sms code: %w (%w)", ErrUnavailable, err)
	}
	return nil
}

func (c *SMSCodes) codeKey(conversationID string) string {
	return c.keys.Tagged(smsBindTag, "code", conversationID)
}

// tryScript uses up a try of the pending code KEYS[1]: ARGV are the
// digest tried and the time in milliseconds. It returns {"ok", phone}
// for the right code, {"wrong"} for a wrong one with tries left,
// {"limited"} for the wrong one that used up the last, and {"none"} when
// no code is pending or it has expired. A code is deleted once right,
// expired or out of tries.
var tryScript = redis.NewScript(`
local p = redis.call('HMGET', KEYS[1], 'phone', 'hash', 'expires', 'left')
if not p[1] then
	return {'none'}
end
if tonumber(ARGV[2]) >= tonumber(p[3]) then
	redis.call('DEL', KEYS[1])
	return {'none'}
end
if p[2] == ARGV[1] then
	redis.call('DEL', KEYS[1])
	return {'ok', p[1]}
end
if redis.call('HINCRBY', KEYS[1], 'left', -1) <= 0 then
	redis.call('DEL', KEYS[1])
	return {'limited'}
end
return {'wrong'}
`)

// Try uses up a try of the conversation's pending code and returns its
// number when hash is right; sms.ErrBindCode or sms.ErrBindLimited
// otherwise, as sms.CodeStore says.
func (c *SMSCodes) Try(ctx context.Context, conversationID string, hash [32]byte, at time.Time) (string, error) {
	v, err := tryScript.Run(ctx, c.rdb, []string{c.codeKey(conversationID)},
		hex.EncodeToString(hash[:]), at.UnixMilli()).StringSlice()
	if err != nil {
		return "", fmt.Errorf("check sms code: %w (%w)", ErrUnavailable, err)
	}
	switch {
	case len(v) == 2 && v[0] == "ok":
		return v[1], nil
	case len(v) == 1 && (v[0] == "wrong" || v[0] == "none"):
		return "", sms.ErrBindCode
	case len(v) == 1 && v[0] == "limited":
		return "", sms.ErrBindLimited
	}
	return "", fmt.Errorf("check sms code: a reply of %d values", len(v))
}
