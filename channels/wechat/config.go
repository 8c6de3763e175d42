package wechat

import (
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"hotline/channels"
)

// Config is what a Channel needs.
type Config struct {
	// Name is the channel's name in conversations; empty means "wechat".
	Name string
	// AppID and Secret identify the Official Account to the API.
	AppID string
	// Secret is the account's AppSecret.
	Secret string
	// Token signs WeChat's callbacks.
	Token string
	// AESKey is the 43-character EncodingAESKey of compatible and safe
	// mode; empty allows plaintext mode only.
	AESKey string
	// APIURL replaces https://api.weixin.qq.com, for tests.
	APIURL string
	// StableToken uses the stable access token endpoint, which several
	// gateways may call without invalidating each other's tokens.
	StableToken bool
	// Redis, when set, holds the access token for every gateway instance,
	// refreshed by one of them at a time; nil keeps it in this process.
	Redis redis.UniversalClient
	// RedisPrefix begins the channel's Redis keys; default "hotline".
	RedisPrefix string
	// Receiver takes the followers' messages.
	Receiver channels.Receiver
	// Menu maps the keys of the account's menu items to the engine's
	// menu actions (fault, tickets, agent); a key not listed is passed
	// as it is.
	Menu map[string]string
	// MaxBody bounds a callback's body; zero means 64 KiB.
	MaxBody int64
	// Freshness is how far a callback's timestamp may be from now; zero
	// means 5 minutes. Older callbacks are refused as replays.
	Freshness time.Duration
	// ReplyBudget is how long a callback may take before it is answered
	// with "success" and the replies go through the API; zero means 4 s,
	// inside WeChat's 5.
	ReplyBudget time.Duration
	// SendTimeout bounds one API call; zero means 5 s.
	SendTimeout time.Duration
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// Log receives the channel's logs: codes and ids, never openids or
	// message text.
	Log *slog.Logger
}

// Defaults of the zero fields of Config.
const (
	defaultName        = "wechat"
	defaultMaxBody     = 64 << 10
	defaultFreshness   = 5 * time.Minute
	defaultReplyBudget = 4 * time.Second
	defaultSendTimeout = 5 * time.Second
	defaultAPIURL      = "https://api.weixin.qq.com"
)

func (c *Config) fill() {
	if c.Name == "" {
		c.Name = defaultName
	}
	if c.MaxBody <= 0 {
		c.MaxBody = defaultMaxBody
	}
	if c.RedisPrefix == "" {
		c.RedisPrefix = "hotline"
	}
	if c.Freshness <= 0 {
		c.Freshness = defaultFreshness
	}
	if c.ReplyBudget <= 0 {
		c.ReplyBudget = defaultReplyBudget
	}
	if c.SendTimeout <= 0 {
		c.SendTimeout = defaultSendTimeout
	}
	if c.APIURL == "" {
		c.APIURL = defaultAPIURL
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}
