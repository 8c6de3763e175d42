package wechat

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/go-resty/resty/v2"
	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/officialaccount"
	oaconfig "github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/silenceper/wechat/v2/util"
	"github.com/sirupsen/logrus"

	"hotline/channels"
)

// Channel is the WeChat Official Account channel. It implements
// channels.Channel and serves WeChat's callbacks as an http.Handler.
type Channel struct {
	cfg     Config
	oa      *officialaccount.OfficialAccount
	cache   cache.Cache
	api     *resty.Client
	waiters *waiters
	windows windowBook
	parts   *partsSent
}

var _ channels.Channel = (*Channel)(nil)

// sdkSetup guards the SDK's package-wide settings, made once per process.
var sdkSetup sync.Once

// New builds the channel with one OfficialAccount for the life of the
// process. It returns an error when the account is not configured.
func New(c Config) (*Channel, error) {
	c.fill()
	switch {
	case c.AppID == "" || c.Secret == "" || c.Token == "":
		return nil, errors.New("wechat: appid, secret and token are required")
	case c.AESKey != "" && len(c.AESKey) != 43:
		return nil, errors.New("wechat: aes_key must be the 43-character EncodingAESKey")
	case c.Receiver == nil:
		return nil, errors.New("wechat: a receiver is required")
	}
	setupSDK(c)
	ch := &Channel{cfg: c, cache: newMemCache(c.Now), api: newAPI(c), waiters: newWaiters(),
		windows: newWindows(c.Now), parts: newPartsSent(c.Now)}
	if c.Redis != nil {
		ch.cache = redisCache{rdb: c.Redis, prefix: c.RedisPrefix}
		ch.windows = &redisWindows{rdb: c.Redis, prefix: c.RedisPrefix + ":wechat:window:" + c.AppID + ":", now: c.Now}
	}
	ch.oa = officialaccount.NewOfficialAccount(&oaconfig.Config{
		AppID: c.AppID, AppSecret: c.Secret, Token: c.Token, EncodingAESKey: c.AESKey,
		Cache: ch.cache, UseStableAK: c.StableToken,
	})
	if c.Redis != nil {
		ch.oa.SetAccessTokenHandle(ch.sharedToken())
	}
	return ch, nil
}

// sharedToken is the token handle of an account whose token is in Redis.
func (c *Channel) sharedToken() *sharedToken {
	inner := credential.NewDefaultAccessToken(c.cfg.AppID, c.cfg.Secret, sdkCachePrefix, c.cache)
	key := c.tokenKeys()[0]
	if c.cfg.StableToken {
		inner = credential.NewStableAccessToken(c.cfg.AppID, c.cfg.Secret, sdkCachePrefix, c.cache)
		key = c.tokenKeys()[1]
	}
	return &sharedToken{inner: inner, cache: c.cache, rdb: c.cfg.Redis, key: key,
		lock: c.cfg.RedisPrefix + ":wechat:token-lock:" + c.cfg.AppID}
}

// setupSDK sets the SDK's package globals once: its logger writes raw
// messages (openids, text) at debug level, so it is silenced; its HTTP
// client gets a timeout (the default has none and the SDK's calls cannot
// be cancelled); and its API base URL is replaced when configured. The
// first channel's settings win, which is right for one account per
// process.
func setupSDK(c Config) {
	sdkSetup.Do(func() {
		logrus.SetOutput(io.Discard)
		logrus.SetLevel(logrus.PanicLevel)
		util.DefaultHTTPClient = &http.Client{Timeout: c.SendTimeout}
		if c.APIURL != defaultAPIURL {
			base := strings.TrimRight(c.APIURL, "/")
			util.SetURIModifier(func(u string) string {
				return strings.Replace(u, defaultAPIURL, base, 1)
			})
		}
	})
}

// Name is the channel's name in conversations.
func (c *Channel) Name() string { return c.cfg.Name }

// sdkCachePrefix is the SDK's prefix of an Official Account's cache keys.
const sdkCachePrefix = credential.CacheKeyOfficialAccountPrefix

// tokenKeys are the SDK's cache keys of the account's access token, the
// ordinary and the stable one.
func (c *Channel) tokenKeys() []string {
	return []string{sdkCachePrefix + "_access_token_" + c.cfg.AppID,
		sdkCachePrefix + "_stable_access_token_" + c.cfg.AppID}
}

// evictToken forgets the cached access token so the next call fetches a
// new one; the SDK keeps an invalid token until it expires.
func (c *Channel) evictToken() {
	for _, k := range c.tokenKeys() {
		_ = c.cache.Delete(k)
	}
	c.cfg.Log.Warn("wechat access token refused; evicted")
}

// Send delivers a reply: in the passive reply of the follower's open
// callback when it can carry it, otherwise through the customer-service
// API, split into parts WeChat accepts. A message WeChat would refuse
// because the follower's window closed or its quota is used up fails at
// once, permanently, without calling the API.
func (c *Channel) Send(ctx context.Context, m channels.Outbound) error {
	text := render(m)
	if c.passive(ctx, m, text) {
		return nil
	}
	parts := split(text, maxTextBytes)
	for i := c.parts.done(m.ID); i < len(parts); i++ {
		if err := c.windows.use(m.Address); err != nil {
			c.parts.forget(m.ID)
			return &channels.SendError{Retryable: false, Err: err}
		}
		if err := c.sendCustom(ctx, m.Address, parts[i]); err != nil {
			c.windows.giveBack(m.Address)
			if channels.Retryable(err) {
				c.parts.sent(m.ID, i) // a retry starts at this part
			} else {
				c.parts.forget(m.ID)
			}
			return err
		}
	}
	c.parts.forget(m.ID)
	return nil
}
