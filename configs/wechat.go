package configs

import (
	"strings"
	"time"
)

// WeChatConfig configures the WeChat Official Account channel. It is on
// when appid is set; the quick-start environment variables are
// HOTLINE_WECHAT_APPID, HOTLINE_WECHAT_SECRET, HOTLINE_WECHAT_TOKEN,
// HOTLINE_WECHAT_AES_KEY and HOTLINE_WECHAT_API_URL.
type WeChatConfig struct {
	// AppID is the account's AppID.
	AppID string `yaml:"appid"`
	// Secret is the account's AppSecret.
	Secret Secret `yaml:"secret"`
	// Token is the token set with the server URL in the account's
	// settings; it signs WeChat's callbacks.
	Token Secret `yaml:"token"`
	// AESKey is the EncodingAESKey of compatible and safe mode.
	AESKey Secret `yaml:"aes_key"`
	// APIURL replaces https://api.weixin.qq.com, for tests.
	APIURL string `yaml:"api_url"`
	// StableToken uses the stable access token endpoint.
	StableToken bool `yaml:"stable_token"`
	// Path is where WeChat calls the gateway.
	Path string `yaml:"path"`
	// Freshness is how old a callback may be before it is refused.
	Freshness Duration `yaml:"freshness"`
	// ReplyBudget is how long a callback may wait for its replies.
	ReplyBudget Duration `yaml:"reply_budget"`
	// SendTimeout bounds one API call.
	SendTimeout Duration `yaml:"send_timeout"`
	// Menu maps the account's menu keys to actions: fault, tickets, agent.
	Menu map[string]string `yaml:"menu"`
	// Buttons are the account's menu items, set with gateway -wechat-menu.
	Buttons []MenuButton `yaml:"buttons"`
}

// MenuButton is one item of the account's menu: a click with a key.
type MenuButton struct {
	// Name is what the follower sees; WeChat allows 4 Chinese characters
	// (16 bytes) at the top level.
	Name string `yaml:"name"`
	// Key is sent with the click; wechat.menu maps it to an action.
	Key string `yaml:"key"`
}

// RedisConfig points at the Redis that gateway instances share.
type RedisConfig struct {
	// URL is a redis:// or rediss:// URL, redis+cluster://host1,host2 for
	// a Cluster, or redis+sentinel://host1,host2?master_name=… for
	// Sentinel; empty means no Redis.
	URL Secret `yaml:"url"`
	// Prefix begins every key the gateway writes, so several deployments
	// can share one Redis; default "hotline".
	Prefix string `yaml:"prefix"`
	// JobLease is how long an instance holds a background job (rescans,
	// sweeper, deadline scan, event relays) after its last renewal: another
	// instance takes a job over within about this long of a crash.
	JobLease Duration `yaml:"job_lease"`
	// RecordTTL is how long a conversation's record stays cached in Redis
	// after its last change, with a PostgreSQL database; a message after
	// that reads the record from the database.
	RecordTTL Duration `yaml:"record_ttl"`
}

// Enabled reports whether the channel is configured.
func (w WeChatConfig) Enabled() bool { return w.AppID != "" }

func defaultWeChat() WeChatConfig {
	return WeChatConfig{Path: "/wechat", Freshness: Duration(5 * time.Minute),
		ReplyBudget: Duration(4 * time.Second), SendTimeout: Duration(5 * time.Second),
		Menu: map[string]string{"FAULT_REPORT": "fault", "MY_TICKETS": "tickets", "TALK_TO_AGENT": "agent"},
		Buttons: []MenuButton{{Name: "故障报修", Key: "FAULT_REPORT"}, {Name: "我的工单", Key: "MY_TICKETS"},
			{Name: "转人工", Key: "TALK_TO_AGENT"}}}
}

func (c *Config) validateRedis(bad func(string, string, ...any)) {
	if c.Redis.JobLease.D() < time.Second {
		bad("redis.job_lease", "must be at least 1s")
	}
	if c.Redis.RecordTTL.D() < time.Second {
		bad("redis.record_ttl", "must be at least 1s")
	}
	if strings.ContainsAny(c.Redis.Prefix, "{} ") {
		bad("redis.prefix", "must not contain braces or spaces (braces mark Cluster hash tags)")
	}
}

func (c *Config) validateWeChat(bad func(string, string, ...any)) {
	w := c.WeChat
	if !w.Enabled() {
		return
	}
	if !w.Secret.IsSet() || !w.Token.IsSet() {
		bad("wechat", "with appid set, secret and token are required")
	}
	if w.AESKey.IsSet() && len(w.AESKey.Reveal()) != 43 {
		bad("wechat.aes_key", "want the 43-character EncodingAESKey")
	}
	if w.ReplyBudget.D() <= 0 || w.ReplyBudget.D() >= 5*time.Second {
		bad("wechat.reply_budget", "want more than 0 and less than WeChat's 5s")
	}
	if w.Freshness.D() < time.Minute {
		bad("wechat.freshness", "must be at least 1m")
	}
	if len(w.Path) < 2 || w.Path[0] != '/' {
		bad("wechat.path", "want a path such as /wechat")
	}
	if len(w.Buttons) > 3 {
		bad("wechat.buttons", "WeChat allows at most 3 top-level menu items, got %d", len(w.Buttons))
	}
	for i, btn := range w.Buttons {
		if btn.Name == "" || len(btn.Name) > 16 || btn.Key == "" || len(btn.Key) > 128 {
			bad("wechat.buttons", "item %d: want a name of up to 16 bytes and a key of up to 128", i+1)
		}
	}
	for key, action := range w.Menu {
		if action != "fault" && action != "tickets" && action != "agent" {
			bad("wechat.menu", "key %s: action %q: want fault, tickets or agent", key, action)
		}
	}
}
