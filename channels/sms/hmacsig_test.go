package sms

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Fixed vectors, computed once in the shell with openssl, not with this
// package:
//
//	printf '%s' '1700000000.{"from":"+8613800138000","to":"106900001234","text":"退订"}' | openssl dgst -sha256 -hmac 'hotline-demo-secret'
//	SHA2-256(stdin)= e4a8ba84efbd0251cff22f7b449ecc3826044b24fd2b068b757eaaae6a30a1ad
//
//	printf '%s' '1700000000.' | openssl dgst -sha256 -hmac 'hotline-demo-secret'
//	SHA2-256(stdin)= 6e8189093991156808d67406a4f0b2caed4b162f58f5a28a07bec6dcfb057ac6
const (
	// webhookTestSecret is the shared secret of the fixed vectors.
	webhookTestSecret = "hotline-demo-secret"
	// webhookTestTimestamp is the X-Hotline-Timestamp of the fixed vectors.
	webhookTestTimestamp = "1700000000"
	// webhookTestBody is the raw body of the first fixed vector (UTF-8).
	webhookTestBody = `{"from":"+8613800138000","to":"106900001234","text":"退订"}`
	// webhookTestSignature is openssl's result for webhookTestBody.
	webhookTestSignature = "sha256=e4a8ba84efbd0251cff22f7b449ecc3826044b24fd2b068b757eaaae6a30a1ad"
	// webhookTestEmptySignature is openssl's result for an empty body.
	webhookTestEmptySignature = "sha256=6e8189093991156808d67406a4f0b2caed4b162f58f5a28a07bec6dcfb057ac6"
)

// webhookTestNow is a clock reading 30 seconds after the vectors were signed.
var webhookTestNow = time.Unix(1700000030, 0)

// TestWebhookSignatureVectors checks webhookSignature against openssl.
func TestWebhookSignatureVectors(t *testing.T) {
	if got := webhookSignature([]byte(webhookTestSecret), webhookTestTimestamp, []byte(webhookTestBody)); got != webhookTestSignature {
		t.Errorf("got %s, want %s", got, webhookTestSignature)
	}
	if got := webhookSignature([]byte(webhookTestSecret), webhookTestTimestamp, nil); got != webhookTestEmptySignature {
		t.Errorf("empty body: got %s, want %s", got, webhookTestEmptySignature)
	}
}

// TestWebhookValidAccepts checks that authentic requests pass, at the edges
// of the window too.
func TestWebhookValidAccepts(t *testing.T) {
	secret, body := []byte(webhookTestSecret), []byte(webhookTestBody)
	signed := time.Unix(1700000000, 0)
	cases := map[string]struct {
		sig string
		now time.Time
	}{
		"fresh":               {webhookTestSignature, webhookTestNow},
		"same second":         {webhookTestSignature, signed},
		"window edge, past":   {webhookTestSignature, signed.Add(5 * time.Minute)},
		"window edge, future": {webhookTestSignature, signed.Add(-5 * time.Minute)},
		"upper-case hex":      {"sha256=" + strings.ToUpper(strings.TrimPrefix(webhookTestSignature, "sha256=")), webhookTestNow},
	}
	for name, c := range cases {
		if err := webhookValid(secret, webhookTestTimestamp, c.sig, body, c.now, 5*time.Minute); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := webhookValid(secret, webhookTestTimestamp, webhookTestEmptySignature, nil, webhookTestNow, time.Minute); err != nil {
		t.Errorf("empty body: %v", err)
	}
}

// TestWebhookValidRejects checks each failure and the error it reports.
func TestWebhookValidRejects(t *testing.T) {
	secret, body := []byte(webhookTestSecret), []byte(webhookTestBody)
	hexPart := strings.TrimPrefix(webhookTestSignature, "sha256=")
	window := 5 * time.Minute
	signed := time.Unix(1700000000, 0)
	cases := []struct {
		name      string
		secret    []byte
		timestamp string
		sig       string
		body      []byte
		now       time.Time
		want      error
	}{
		{"missing signature", secret, webhookTestTimestamp, "", body, webhookTestNow, errWebhookNoSignature},
		{"no prefix", secret, webhookTestTimestamp, hexPart, body, webhookTestNow, errWebhookMalformed},
		{"other hash", secret, webhookTestTimestamp, "sha1=" + hexPart, body, webhookTestNow, errWebhookMalformed},
		{"prefix case", secret, webhookTestTimestamp, "SHA256=" + hexPart, body, webhookTestNow, errWebhookMalformed},
		{"short", secret, webhookTestTimestamp, webhookTestSignature[:len(webhookTestSignature)-2], body, webhookTestNow, errWebhookMalformed},
		{"long", secret, webhookTestTimestamp, webhookTestSignature + "00", body, webhookTestNow, errWebhookMalformed},
		{"not hex", secret, webhookTestTimestamp, "sha256=" + strings.Repeat("zz", 32), body, webhookTestNow, errWebhookMalformed},
		{"prefix only", secret, webhookTestTimestamp, "sha256=", body, webhookTestNow, errWebhookMalformed},
		{"missing timestamp", secret, "", webhookTestSignature, body, webhookTestNow, errWebhookMalformed},
		{"signed timestamp", secret, "+1700000000", webhookTestSignature, body, webhookTestNow, errWebhookMalformed},
		{"negative timestamp", secret, "-1700000000", webhookTestSignature, body, webhookTestNow, errWebhookMalformed},
		{"fractional timestamp", secret, "1700000000.5", webhookTestSignature, body, webhookTestNow, errWebhookMalformed},
		{"spaced timestamp", secret, " 1700000000", webhookTestSignature, body, webhookTestNow, errWebhookMalformed},
		{"millisecond timestamp", secret, "1700000000000", webhookTestSignature, body, webhookTestNow, errWebhookStale},
		{"huge timestamp", secret, "9999999999999999999", webhookTestSignature, body, webhookTestNow, errWebhookMalformed},
		{"stale", secret, webhookTestTimestamp, webhookTestSignature, body, signed.Add(window + time.Second), errWebhookStale},
		{"future", secret, webhookTestTimestamp, webhookTestSignature, body, signed.Add(-window - time.Second), errWebhookStale},
		{"wrong secret", []byte("another-secret"), webhookTestTimestamp, webhookTestSignature, body, webhookTestNow, errWebhookMismatch},
		{"empty secret", nil, webhookTestTimestamp, webhookTestSignature, body, webhookTestNow, errWebhookMismatch},
		{"body changed", secret, webhookTestTimestamp, webhookTestSignature, []byte(strings.Replace(webhookTestBody, "退订", "你好", 1)), webhookTestNow, errWebhookMismatch},
		{"body extended", secret, webhookTestTimestamp, webhookTestSignature, append([]byte(webhookTestBody), '\n'), webhookTestNow, errWebhookMismatch},
		{"timestamp changed", secret, "1700000001", webhookTestSignature, body, webhookTestNow, errWebhookMismatch},
		{"signature of another body", secret, webhookTestTimestamp, webhookTestEmptySignature, body, webhookTestNow, errWebhookMismatch},
	}
	for _, c := range cases {
		err := webhookValid(c.secret, c.timestamp, c.sig, c.body, c.now, window)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
			continue
		}
		msg := err.Error()
		for _, leak := range []string{webhookTestSecret, webhookTestBody, "退订", hexPart, webhookTestTimestamp} {
			if strings.Contains(msg, leak) {
				t.Errorf("%s: error %q contains %q", c.name, msg, leak)
			}
		}
	}
}

// TestWebhookErrorsDistinct checks that the four failures can be told apart.
func TestWebhookErrorsDistinct(t *testing.T) {
	all := []error{errWebhookNoSignature, errWebhookMalformed, errWebhookStale, errWebhookMismatch}
	for i, a := range all {
		for j, b := range all {
			if i != j && (errors.Is(a, b) || a.Error() == b.Error()) {
				t.Errorf("%v and %v are not distinct", a, b)
			}
		}
	}
}
