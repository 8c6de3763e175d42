package sms

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Hotline's generic JSON webhook, called by an operator's own SMS gateway or
// SMPP bridge, is signed with a shared secret. The caller sends two headers:
// the Unix time in seconds, and "sha256=" followed by the lowercase hex
// HMAC-SHA256, keyed with the secret, of the timestamp, a '.', and the raw
// request body.
const (
	// webhookTimestampHeader carries the signing time in Unix seconds.
	webhookTimestampHeader = "X-Hotline-Timestamp"
	// webhookSignatureHeader carries "sha256=<hex>".
	webhookSignatureHeader = "X-Hotline-Signature"
)

// webhookSignaturePrefix names the hash in the signature header.
const webhookSignaturePrefix = "sha256="

// The errors webhookValid returns. They name the failure only: none of them
// ever carries the secret, the body or the signature that was sent.
var (
	// errWebhookNoSignature means the signature header was empty or absent.
	errWebhookNoSignature = errors.New("webhook signature missing")
	// errWebhookMalformed means the signature is not "sha256=" and 64 hex
	// digits, or the timestamp is absent or not a plain decimal number.
	errWebhookMalformed = errors.New("webhook signature or timestamp malformed")
	// errWebhookStale means the timestamp is further from now than the
	// allowed window, in the past or in the future.
	errWebhookStale = errors.New("webhook timestamp outside the allowed window")
	// errWebhookMismatch means the signature does not match the request.
	errWebhookMismatch = errors.New("webhook signature does not match")
)

// webhookSignature returns the X-Hotline-Signature value for a request
// signed at timestamp (its X-Hotline-Timestamp text) with the given body:
// "sha256=" and the lowercase hex HMAC-SHA256 of timestamp + "." + body.
func webhookSignature(secret []byte, timestamp string, body []byte) string {
	return webhookSignaturePrefix + hex.EncodeToString(webhookMAC(secret, timestamp, body))
}

// webhookMAC computes the raw HMAC-SHA256 behind webhookSignature.
func webhookMAC(secret []byte, timestamp string, body []byte) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return mac.Sum(nil)
}

// webhookValid checks a signed webhook request: got is the
// X-Hotline-Signature header, timestamp the X-Hotline-Timestamp header,
// and body the raw request body. The timestamp must lie within window of
// now, either side, which bounds how long a captured request can be
// replayed. The signature is compared in constant time; its hex digits may
// be of either case. It returns nil when the request is authentic, or one
// of errWebhookNoSignature, errWebhookMalformed, errWebhookStale or
// errWebhookMismatch.
func webhookValid(secret []byte, timestamp, got string, body []byte, now time.Time, window time.Duration) error {
	if got == "" {
		return errWebhookNoSignature
	}
	hexSig, ok := strings.CutPrefix(got, webhookSignaturePrefix)
	if !ok || len(hexSig) != hex.EncodedLen(sha256.Size) {
		return errWebhookMalformed
	}
	sent, err := hex.DecodeString(hexSig)
	if err != nil {
		return errWebhookMalformed
	}
	sec, ok := webhookParseTimestamp(timestamp)
	if !ok {
		return errWebhookMalformed
	}
	if age := now.Sub(time.Unix(sec, 0)); age > window || age < -window {
		return errWebhookStale
	}
	if !hmac.Equal(webhookMAC(secret, timestamp, body), sent) {
		return errWebhookMismatch
	}
	return nil
}

// webhookParseTimestamp reads a Unix-seconds timestamp written as plain
// decimal digits, with no sign, spaces or fraction.
func webhookParseTimestamp(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	return sec, err == nil
}
