package wechat

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// windowBook is where followers' customer-service windows are kept: in
// this process, or in Redis for every instance.
type windowBook interface {
	opened(openID string, event bool)
	use(openID string) error
	giveBack(openID string)
}

var (
	_ windowBook = (*windows)(nil)
	_ windowBook = (*redisWindows)(nil)
)

// Reasons WeChat would refuse a customer-service message.
var (
	errWindowClosed = errors.New("wechat: the follower's customer-service window has closed (no message from them in 48h)")
	errQuotaUsed    = errors.New("wechat: the follower's customer-service quota is used up until they write again")
)

// redisWindows keeps the windows in Redis, one hash per follower under a
// hash of the openid (so Redis holds no openid), kept a while after the
// window closed so a closed window is told from an unknown one.
type redisWindows struct {
	rdb    redis.UniversalClient
	prefix string
	now    func() time.Time
}

// windowKept is how long a follower's record stays after the window.
const windowKept = 7 * 24 * time.Hour

func (w *redisWindows) key(openID string) string {
	sum := sha256.Sum256([]byte(openID))
	return w.prefix + hex.EncodeToString(sum[:16])
}

// openScript opens a window: ARGV until (unix ms), quota, event flag,
// keep (ms). An event's short window does not replace a longer one.
var openScript = redis.NewScript(`
local until_ = tonumber(ARGV[1])
if ARGV[3] == "1" then
  local old = tonumber(redis.call("HGET", KEYS[1], "until") or "0")
  if old > until_ then return 0 end
end
redis.call("HSET", KEYS[1], "until", until_, "left", ARGV[2])
redis.call("PEXPIRE", KEYS[1], until_ - tonumber(ARGV[5]) + tonumber(ARGV[4]))
return 1`)

// useScript takes one message: 1 taken, 0 unknown follower, -1 window
// closed, -2 quota used up. ARGV now (unix ms).
var useScript = redis.NewScript(`
local until_ = tonumber(redis.call("HGET", KEYS[1], "until") or "0")
if until_ == 0 then return 0 end
if tonumber(ARGV[1]) >= until_ then return -1 end
local left = tonumber(redis.call("HGET", KEYS[1], "left") or "0")
if left <= 0 then return -2 end
redis.call("HINCRBY", KEYS[1], "left", -1)
return 1`)

func (w *redisWindows) opened(openID string, event bool) {
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	now := w.now()
	until, quota, flag := now.Add(messageWindow), messageQuota, "0"
	if event {
		until, quota, flag = now.Add(eventWindow), eventQuota, "1"
	}
	// A failure leaves the window unknown, and the API is tried.
	_ = openScript.Run(ctx, w.rdb, []string{w.key(openID)}, until.UnixMilli(), quota, flag,
		windowKept.Milliseconds(), now.UnixMilli()).Err()
}

func (w *redisWindows) use(openID string) error {
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	n, err := useScript.Run(ctx, w.rdb, []string{w.key(openID)}, w.now().UnixMilli()).Int()
	switch {
	case err != nil:
		return nil // unknown: let WeChat decide
	case n == -1:
		return errWindowClosed
	case n == -2:
		return errQuotaUsed
	}
	return nil
}

func (w *redisWindows) giveBack(openID string) {
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	_ = w.rdb.HIncrBy(ctx, w.key(openID), "left", 1).Err()
}
