package configs

import (
	"strings"
	"testing"
)

func TestSMS_TwilioQuickStart(t *testing.T) {
	env := envOf(map[string]string{
		"HOTLINE_TWILIO_ACCOUNT_SID": "ACxyz", "HOTLINE_TWILIO_AUTH_TOKEN": "tok",
		"HOTLINE_TWILIO_FROM": "+15005550006", "HOTLINE_TWILIO_PUBLIC_URL": "https://h.example.com",
		"HOTLINE_TWILIO_API_URL": "http://127.0.0.1:9",
	})
	c, err := Load(writeFile(t, ""), env)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.SMS) != 1 || c.SMS[0].Name != "twilio" || c.SMS[0].Twilio.AuthToken.Reveal() != "tok" ||
		c.SMS[0].Twilio.APIURL != "http://127.0.0.1:9" {
		t.Fatalf("sms = %+v", c.SMS)
	}
	if _, err := Load(writeFile(t, ""), envOf(map[string]string{"HOTLINE_TWILIO_ACCOUNT_SID": "ACxyz"})); err == nil ||
		!strings.Contains(err.Error(), "sms[twilio].twilio") {
		t.Fatalf("an incomplete quick start: %v", err)
	}
}

func TestSMS_ValidationNamesTheKey(t *testing.T) {
	cases := []struct{ file, key string }{
		{"sms:\n  - {name: ali, provider: aliyun, aliyun: {access_key_id: a, access_key_secret: s, sign_name: n, template_code: c}}\n", "sms[ali].path_token"},
		{"sms:\n  - {name: x, provider: carrier-pigeon}\n", "sms[x].provider"},
		{"sms:\n  - {name: Bad/Name, provider: webhook}\n", "sms"},
		{"sms:\n  - {name: w, provider: webhook, webhook: {secret: s, send_url: \"http://a\"}, allow: [not-an-ip]}\n", "sms[w].allow"},
		{"sms:\n  - {name: w, provider: webhook, webhook: {secret: s, send_url: \"http://a\"}}\n  - {name: w, provider: webhook, webhook: {secret: s, send_url: \"http://a\"}}\n", "sms[w]"},
	}
	for _, tc := range cases {
		_, err := Load(writeFile(t, tc.file), envOf(nil))
		if err == nil || !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%q: %v, want an error naming %s", tc.file, err, tc.key)
		}
	}
	c, err := Load(writeFile(t, "sms:\n  - {name: w, provider: webhook, allow: [10.0.0.0/8, 127.0.0.1], webhook: {secret: s, send_url: \"http://a\"}}\n"), envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if p := c.SMS[0].AllowPrefixes(); len(p) != 2 || p[1].String() != "127.0.0.1/32" {
		t.Fatalf("allow = %v", p)
	}
}
