package main

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// twilioAccount is what loadgen knows of the gateway's Twilio channel.
type twilioAccount struct {
	channel   string // the SMS channel's name: /sms/<channel>/inbound
	sid       string
	token     string
	from      string // the gateway's number, the messages' To
	publicURL string // the gateway's base URL as Twilio signs it
	client    *http.Client
}

// twilioSignature signs a webhook as Twilio does: HMAC-SHA1 with the
// auth token over the full URL followed by each form key and value,
// sorted by key, in base64.
func twilioSignature(token, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range keys {
		for _, v := range form[k] {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// smsLink is a mobile number texting the gateway; replies come through
// the fake Twilio API.
type smsLink struct {
	acct   *twilioAccount
	base   *url.URL
	number string // E.164
	order  atomic.Int64
	evs    chan event
	errs   *errorCounts
	mu     sync.Mutex
	closed bool
}

func newSMSLink(acct *twilioAccount, base *url.URL, number string, errs *errorCounts) *smsLink {
	return &smsLink{acct: acct, base: base, number: number, evs: make(chan event, 256), errs: errs}
}

func (l *smsLink) events() <-chan event { return l.evs }

func (l *smsLink) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		l.closed = true
		close(l.evs)
	}
}

// deliver hands the number a text the gateway sent it.
func (l *smsLink) deliver(id, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		l.errs.add(chanSMS, "reply after the run")
		return
	}
	l.evs <- event{reply: reply{ID: id, Seq: l.order.Add(1), From: senderOf(text), Text: text, At: time.Now()}}
}

// send posts one signed inbound webhook.
func (l *smsLink) send(ctx context.Context, m outMsg) (string, int64, error) {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	sid := "SM" + hex.EncodeToString(b)
	seq := l.order.Add(1)
	path := "/sms/" + l.acct.channel + "/inbound"
	form := url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "AccountSid": {l.acct.sid},
		"From": {l.number}, "To": {l.acct.from}, "Body": {m.Text}, "NumMedia": {"0"}, "NumSegments": {"1"},
		"SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.base.String()+path, strings.NewReader(form.Encode()))
	if err != nil {
		return sid, seq, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twilioSignature(l.acct.token, strings.TrimRight(l.acct.publicURL, "/")+path, form))
	resp, err := l.acct.client.Do(req)
	if err != nil {
		return sid, seq, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return sid, seq, httpStatusError{resp.StatusCode}
	}
	return sid, seq, nil
}
