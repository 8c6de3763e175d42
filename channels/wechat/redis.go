package wechat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
)

// redisCache is the SDK's cache in Redis, so every gateway instance
// shares one access token. The SDK stores strings and reads them back as
// strings; a miss or an error reads as nil.
type redisCache struct {
	rdb    redis.UniversalClient
	prefix string // before every key, so instances of other deployments keep apart
}

// key is the Redis key of one of the SDK's cache keys.
func (r redisCache) key(k string) string { return r.prefix + ":" + k }

var _ cache.Cache = redisCache{}

// redisTimeout bounds one cache call; the SDK's interface has no context.
const redisTimeout = 2 * time.Second

func (r redisCache) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), redisTimeout)
}

// Get returns the value as a string, or nil.
func (r redisCache) Get(key string) any {
	ctx, cancel := r.ctx()
	defer cancel()
	v, err := r.rdb.Get(ctx, r.key(key)).Result()
	if err != nil {
		return nil
	}
	return v
}

// Set stores the value for the timeout.
func (r redisCache) Set(key string, val any, timeout time.Duration) error {
	ctx, cancel := r.ctx()
	defer cancel()
	return r.rdb.Set(ctx, r.key(key), val, timeout).Err()
}

// IsExist reports whether the key is there.
func (r redisCache) IsExist(key string) bool {
	ctx, cancel := r.ctx()
	defer cancel()
	n, err := r.rdb.Exists(ctx, r.key(key)).Result()
	return err == nil && n > 0
}

// Delete removes the key.
func (r redisCache) Delete(key string) error {
	ctx, cancel := r.ctx()
	defer cancel()
	return r.rdb.Del(ctx, r.key(key)).Err()
}

// sharedToken fetches the access token for all instances at once: the
// one that takes the lock in Redis asks WeChat, the others wait for the
// token to appear in the shared cache. Without it each instance's own
// refresh would invalidate the tokens the others hold.
type sharedToken struct {
	inner credential.AccessTokenContextHandle
	cache cache.Cache
	rdb   redis.UniversalClient
	key   string // the token's cache key
	lock  string // the lock's key
}

// Waiting for another instance's refresh.
const (
	tokenLockTTL  = 10 * time.Second
	tokenWait     = 5 * time.Second
	tokenWaitStep = 50 * time.Millisecond
)

// GetAccessToken returns the token.
func (s *sharedToken) GetAccessToken() (string, error) {
	return s.GetAccessTokenContext(context.Background())
}

// GetAccessTokenContext returns the cached token, or refreshes it under
// the shared lock, or waits for the instance that holds the lock.
func (s *sharedToken) GetAccessTokenContext(ctx context.Context) (string, error) {
	if tok, ok := s.cache.Get(s.key).(string); ok && tok != "" {
		return tok, nil
	}
	owner := randomID()
	got, err := s.rdb.SetNX(ctx, s.lock, owner, tokenLockTTL).Result()
	if err != nil {
		return "", errors.New("wechat token: redis lock failed")
	}
	if got {
		defer s.unlock(owner)
		return s.inner.GetAccessTokenContext(ctx)
	}
	return s.await(ctx)
}

// await waits for another instance to store a token, and fetches one
// itself when none appears in time.
func (s *sharedToken) await(ctx context.Context) (string, error) {
	deadline := time.Now().Add(tokenWait)
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(tokenWaitStep):
		}
		if tok, ok := s.cache.Get(s.key).(string); ok && tok != "" {
			return tok, nil
		}
	}
	return s.inner.GetAccessTokenContext(ctx)
}

// unlockScript deletes the lock only if this instance still holds it.
var unlockScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

func (s *sharedToken) unlock(owner string) {
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	_ = unlockScript.Run(ctx, s.rdb, []string{s.lock}, owner).Err()
}

func randomID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
