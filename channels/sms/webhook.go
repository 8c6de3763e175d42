package sms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-resty/resty/v2"

	"hotline/channels"
)

// WebhookConfig is the operator's own SMS gateway or SMPP bridge, which
// speaks the format in docs/sms-webhook.md.
type WebhookConfig struct {
	// Secret signs callbacks and sends (HMAC-SHA256), both ways.
	Secret []byte
	// SendURL is where messages are posted.
	SendURL string
	// Window is how far a callback's timestamp may be from now. Default
	// 5 minutes.
	Window time.Duration
	// Timeout bounds one send. Default 10s.
	Timeout time.Duration
	// Now is the clock of signatures. Default time.Now.
	Now func() time.Time
}

// Webhook is the generic provider: signed JSON callbacks in, signed JSON
// posts out.
type Webhook struct {
	cfg WebhookConfig
	api *resty.Client
}

var _ Provider = (*Webhook)(nil)

// NewWebhook builds the provider; it returns an error when the secret is
// missing or the send URL is not an http(s) URL.
func NewWebhook(c WebhookConfig) (*Webhook, error) {
	if len(c.Secret) == 0 {
		return nil, errors.New("webhook: a secret is required")
	}
	u, err := url.Parse(c.SendURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("webhook: send_url must be an http(s) URL")
	}
	if c.Window <= 0 {
		c.Window = 5 * time.Minute
	}
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return &Webhook{cfg: c, api: resty.New().SetTimeout(c.Timeout)}, nil
}

// Kind is "webhook".
func (w *Webhook) Kind() string { return "webhook" }

// webhookAck is the body of an accepted callback.
var webhookAck = []byte(`{"ok":true}`)

// Ack is {"ok":true}.
func (w *Webhook) Ack() Response {
	return Response{ContentType: "application/json", Body: webhookAck}
}

// verify checks a callback's signature and then its Content-Type.
func (w *Webhook) verify(r *http.Request, body []byte) error {
	if err := webhookValid(w.cfg.Secret, r.Header.Get(webhookTimestampHeader),
		r.Header.Get(webhookSignatureHeader), body, w.cfg.Now(), w.cfg.Window); err != nil {
		return forbidden(err.Error())
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		return &RequestError{Status: http.StatusUnsupportedMediaType, Reason: "want a JSON body"}
	}
	return nil
}

// webhookMessage is one inbound message of a callback.
type webhookMessage struct {
	ID   string `json:"id"`
	From string `json:"from"`
	Text string `json:"text"`
	At   string `json:"at"`
}

// Inbound reads a signed inbound callback: one message object or an array
// of them, each keyed by its id.
func (w *Webhook) Inbound(r *http.Request, body []byte) ([]Message, error) {
	if err := w.verify(r, body); err != nil {
		return nil, err
	}
	items, err := decodeItems[webhookMessage](body, "message object")
	if err != nil {
		return nil, err
	}
	msgs := make([]Message, 0, len(items))
	for _, it := range items {
		if it.ID == "" || it.From == "" {
			return nil, badRequest("a message lacks id or from")
		}
		m := Message{From: it.From, Text: it.Text, Key: it.ID}
		if it.At != "" {
			at, err := time.Parse(time.RFC3339, it.At)
			if err != nil {
				return nil, badRequest("a message's at is not an RFC 3339 time")
			}
			m.At = at
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

// webhookReport is one delivery report of a callback.
type webhookReport struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Code   string `json:"code"`
}

// Reports reads a signed delivery-report callback: one report object or
// an array of them, each naming the id the send returned.
func (w *Webhook) Reports(r *http.Request, body []byte) ([]Report, error) {
	if err := w.verify(r, body); err != nil {
		return nil, err
	}
	items, err := decodeItems[webhookReport](body, "report object")
	if err != nil {
		return nil, err
	}
	reps := make([]Report, 0, len(items))
	for _, it := range items {
		if it.ID == "" {
			return nil, badRequest("a report lacks id")
		}
		st := Status(it.Status)
		if st.Rank() == 0 {
			return nil, badRequest("a report's status is not queued, sent, delivered, undelivered or failed")
		}
		reps = append(reps, Report{ID: it.ID, Status: st, Code: it.Code})
	}
	return reps, nil
}

// webhookSend is the body of a send.
type webhookSend struct {
	To   string `json:"to"`
	Text string `json:"text"`
}

// webhookSent is the gateway's answer to a send.
type webhookSent struct {
	ID string `json:"id"`
}

// Send posts {"to","text"} to the send URL, signed, and returns the id
// the gateway answers with.
func (w *Webhook) Send(ctx context.Context, to, text string) (string, error) {
	body, err := json.Marshal(webhookSend{To: to, Text: text})
	if err != nil {
		return "", &channels.SendError{Retryable: false, Err: errors.New("webhook: request not encodable")}
	}
	ts := strconv.FormatInt(w.cfg.Now().Unix(), 10)
	resp, err := w.api.R().SetContext(ctx).
		SetHeader("Content-Type", "application/json").
		SetHeader(webhookTimestampHeader, ts).
		SetHeader(webhookSignatureHeader, webhookSignature(w.cfg.Secret, ts, body)).
		SetBody(body).
		Post(w.cfg.SendURL)
	if err != nil {
		return "", &channels.SendError{Retryable: true, Err: fmt.Errorf("webhook: %w", transportErr(err))}
	}
	status := resp.StatusCode()
	switch {
	case status >= 200 && status < 300:
		var rep webhookSent
		if json.Unmarshal(resp.Body(), &rep) != nil || rep.ID == "" {
			// Not retried, as the message may have gone.
			return "", &channels.SendError{Retryable: false, Err: fmt.Errorf("webhook: HTTP %d without an id", status)}
		}
		return rep.ID, nil
	case status == http.StatusTooManyRequests || status >= 500:
		return "", &channels.SendError{Retryable: true, Err: fmt.Errorf("webhook: HTTP %d", status)}
	}
	return "", &channels.SendError{Retryable: false, Err: fmt.Errorf("webhook: HTTP %d", status)}
}
