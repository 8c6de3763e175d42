package configs

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
)

// SMSChannelConfig configures one SMS channel: a provider account under a
// name. Its callbacks are /sms/<name>/inbound and /sms/<name>/status
// (each followed by /<path_token> when one is set). For a quick start,
// HOTLINE_TWILIO_ACCOUNT_SID, HOTLINE_TWILIO_AUTH_TOKEN,
// HOTLINE_TWILIO_FROM and HOTLINE_TWILIO_PUBLIC_URL add a Twilio channel
// named twilio, and HOTLINE_TWILIO_API_URL points it elsewhere.
type SMSChannelConfig struct {
	// Name is the channel's name, in paths and conversations.
	Name string `yaml:"name"`
	// Provider is twilio, aliyun, tencent or webhook.
	Provider string `yaml:"provider"`
	// Signature is the sender name the platform adds (without 【】); it
	// counts towards the length of every message.
	Signature string `yaml:"signature"`
	// MaxParts is the most SMS parts one message may take.
	MaxParts int `yaml:"max_parts"`
	// Rate and Burst limit sends to the provider, per second.
	Rate  float64 `yaml:"rate"`
	Burst int     `yaml:"burst"`
	// PathToken is the secret last segment of the callback paths; it is
	// required for providers that do not sign callbacks (aliyun, tencent).
	PathToken Secret `yaml:"path_token"`
	// Allow lists the addresses or CIDR ranges callbacks may come from;
	// empty allows any.
	Allow []string `yaml:"allow"`
	// DefaultCountry is the calling code of national numbers (86).
	DefaultCountry string `yaml:"default_country"`
	// Twilio, Aliyun, Tencent and Webhook hold the provider's settings.
	Twilio  TwilioSettings  `yaml:"twilio"`
	Aliyun  AliyunSettings  `yaml:"aliyun"`
	Tencent TencentSettings `yaml:"tencent"`
	Webhook WebhookSettings `yaml:"webhook"`
}

// TwilioSettings are a Twilio account's.
type TwilioSettings struct {
	AccountSID       string `yaml:"account_sid"`
	AuthToken        Secret `yaml:"auth_token"`
	From             string `yaml:"from"`
	MessagingService string `yaml:"messaging_service"`
	// PublicURL is the gateway's base URL as Twilio calls it.
	PublicURL string `yaml:"public_url"`
	// APIURL replaces https://api.twilio.com, for tests.
	APIURL string `yaml:"api_url"`
}

// AliyunSettings are an Alibaba Cloud SMS account's. Free text goes out
// through a template whose one variable (TemplateParam) takes the text.
type AliyunSettings struct {
	AccessKeyID     string `yaml:"access_key_id"`
	AccessKeySecret Secret `yaml:"access_key_secret"`
	SignName        string `yaml:"sign_name"`
	TemplateCode    string `yaml:"template_code"`
	TemplateParam   string `yaml:"template_param"`
	// APIURL replaces https://dysmsapi.aliyuncs.com, for tests.
	APIURL string `yaml:"api_url"`
}

// TencentSettings are a Tencent Cloud SMS account's. Free text goes out
// through a template whose one parameter takes the text.
type TencentSettings struct {
	SecretID   string `yaml:"secret_id"`
	SecretKey  Secret `yaml:"secret_key"`
	SdkAppID   string `yaml:"sdk_app_id"`
	SignName   string `yaml:"sign_name"`
	TemplateID string `yaml:"template_id"`
	Region     string `yaml:"region"`
	// APIURL replaces https://sms.tencentcloudapi.com, for tests.
	APIURL string `yaml:"api_url"`
}

// WebhookSettings are those of the operator's own SMS gateway, which
// calls the callbacks signed with Secret and takes sends at SendURL.
type WebhookSettings struct {
	Secret  Secret `yaml:"secret"`
	SendURL string `yaml:"send_url"`
}

// smsProviders are the provider kinds there are.
var smsProviders = []string{"twilio", "aliyun", "tencent", "webhook"}

// smsName is the shape of a channel name: it is a path segment.
var smsName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// addTwilioEnv adds the quick-start Twilio channel when its variables are
// set and no channel of that name is configured.
func (c *Config) addTwilioEnv(getenv func(string) string) {
	if getenv == nil || getenv("HOTLINE_TWILIO_ACCOUNT_SID") == "" {
		return
	}
	for _, s := range c.SMS {
		if s.Name == "twilio" {
			return
		}
	}
	c.SMS = append(c.SMS, SMSChannelConfig{Name: "twilio", Provider: "twilio", Twilio: TwilioSettings{
		AccountSID: getenv("HOTLINE_TWILIO_ACCOUNT_SID"), AuthToken: Secret(getenv("HOTLINE_TWILIO_AUTH_TOKEN")),
		From: getenv("HOTLINE_TWILIO_FROM"), PublicURL: getenv("HOTLINE_TWILIO_PUBLIC_URL"),
		APIURL: getenv("HOTLINE_TWILIO_API_URL")}})
}

// AllowPrefixes parses Allow; validation has checked it.
func (s SMSChannelConfig) AllowPrefixes() []netip.Prefix {
	var out []netip.Prefix
	for _, a := range s.Allow {
		if p, err := parsePrefix(a); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// parsePrefix reads a CIDR range or a single address.
func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func (c *Config) validateSMS(bad func(string, string, ...any)) {
	seen := map[string]bool{}
	for i, s := range c.SMS {
		// A channel is named in keys by its name, or by its place when the
		// name is not one: what the file holds there may be anything.
		key := "sms[" + s.Name + "]"
		if !smsName.MatchString(s.Name) {
			key = fmt.Sprintf("sms[%d]", i+1)
		}
		switch {
		case !smsName.MatchString(s.Name):
			bad("sms", "channel %d: name %q must be lower-case letters, digits, - or _", i+1, s.Name)
		case seen[s.Name]:
			bad(key, "two channels have this name")
		}
		seen[s.Name] = true
		for _, a := range s.Allow {
			if _, err := parsePrefix(a); err != nil {
				bad(key+".allow", "%q is not an address or CIDR range", a)
			}
		}
		if s.MaxParts < 0 || s.Rate < 0 || s.Burst < 0 {
			bad(key, "max_parts, rate and burst cannot be negative")
		}
		s.validateProvider(key, bad)
	}
}

func (s SMSChannelConfig) validateProvider(key string, bad func(string, string, ...any)) {
	switch s.Provider {
	case "twilio":
		t := s.Twilio
		if t.AccountSID == "" || !t.AuthToken.IsSet() || (t.From == "" && t.MessagingService == "") {
			bad(key+".twilio", "account_sid, auth_token and from (or messaging_service) are required")
		}
		if !strings.HasPrefix(t.PublicURL, "https://") && !strings.HasPrefix(t.PublicURL, "http://") {
			bad(key+".twilio.public_url", "want the http(s) base URL Twilio calls")
		}
	case "aliyun":
		a := s.Aliyun
		if a.AccessKeyID == "" || !a.AccessKeySecret.IsSet() || a.SignName == "" || a.TemplateCode == "" {
			bad(key+".aliyun", "access_key_id, access_key_secret, sign_name and template_code are required")
		}
		if !s.PathToken.IsSet() {
			bad(key+".path_token", "required: Alibaba Cloud does not sign its callbacks")
		}
	case "tencent":
		t := s.Tencent
		if t.SecretID == "" || !t.SecretKey.IsSet() || t.SdkAppID == "" || t.TemplateID == "" {
			bad(key+".tencent", "secret_id, secret_key, sdk_app_id and template_id are required")
		}
		if !s.PathToken.IsSet() {
			bad(key+".path_token", "required: Tencent Cloud does not sign its callbacks")
		}
	case "webhook":
		if !s.Webhook.Secret.IsSet() || s.Webhook.SendURL == "" {
			bad(key+".webhook", "secret and send_url are required")
		}
	default:
		bad(key+".provider", "want one of %s", strings.Join(smsProviders, ", "))
	}
}
