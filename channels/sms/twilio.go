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
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"hotline/channels"
)

// TwilioConfig is one Twilio account's sending number and credentials.
type TwilioConfig struct {
	// AccountSID and AuthToken authenticate sends and sign callbacks.
	AccountSID string
	AuthToken  string
	// From is the sending number; MessagingService, when set, sends
	// through a Messaging Service instead.
	From             string
	MessagingService string
	// PublicURL is the gateway's base URL as Twilio calls it (scheme and
	// host, such as https://hotline.example.com); callback signatures
	// are computed over it, not over the Host a proxy passed on.
	PublicURL string
	// StatusCallback is the full URL of the channel's status callback,
	// sent with every message; empty sends none.
	StatusCallback string
	// APIURL replaces https://api.twilio.com, for tests.
	APIURL string
	// Timeout bounds one API call. Default 10s.
	Timeout time.Duration
}

// Twilio is the Twilio Programmable Messaging provider.
type Twilio struct {
	cfg TwilioConfig
	api *resty.Client
}

var _ Provider = (*Twilio)(nil)

// NewTwilio builds the provider; it returns an error when a credential,
// the sender or the public URL is missing.
func NewTwilio(c TwilioConfig) (*Twilio, error) {
	switch {
	case c.AccountSID == "" || c.AuthToken == "":
		return nil, errors.New("twilio: account sid and auth token are required")
	case c.From == "" && c.MessagingService == "":
		return nil, errors.New("twilio: a from number or a messaging service is required")
	case !strings.HasPrefix(c.PublicURL, "https://") && !strings.HasPrefix(c.PublicURL, "http://"):
		return nil, errors.New("twilio: public_url must be the http(s) base URL Twilio calls")
	}
	if c.APIURL == "" {
		c.APIURL = "https://api.twilio.com"
	}
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	api := resty.New().SetBaseURL(strings.TrimRight(c.APIURL, "/")).SetTimeout(c.Timeout).
		SetBasicAuth(c.AccountSID, c.AuthToken).SetDisableWarn(true)
	return &Twilio{cfg: c, api: api}, nil
}

// Kind is "twilio".
func (t *Twilio) Kind() string { return "twilio" }

// twiml is the empty TwiML document: received, nothing to say.
var twiml = []byte(`<?xml version="1.0" encoding="UTF-8"?><Response/>`)

// Ack is an empty TwiML response; replies go through the API.
func (t *Twilio) Ack() Response { return Response{ContentType: "text/xml", Body: twiml} }

// form verifies a callback's signature and account and returns its
// parameters.
func (t *Twilio) form(r *http.Request, body []byte) (url.Values, error) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		return nil, &RequestError{Status: http.StatusUnsupportedMediaType, Reason: "want a form-encoded body"}
	}
	params, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, badRequest("body is not a valid form")
	}
	sig := r.Header.Get("X-Twilio-Signature")
	if sig == "" {
		return nil, forbidden("missing X-Twilio-Signature")
	}
	if !twilioValid(t.cfg.AuthToken, t.cfg.PublicURL+r.URL.RequestURI(), params, sig) {
		return nil, forbidden("invalid X-Twilio-Signature")
	}
	if params.Get("AccountSid") != t.cfg.AccountSID {
		return nil, forbidden("callback for another account")
	}
	return params, nil
}

// Inbound reads an incoming-message webhook: one message, keyed by its
// MessageSid.
func (t *Twilio) Inbound(r *http.Request, body []byte) ([]Message, error) {
	p, err := t.form(r, body)
	if err != nil {
		return nil, err
	}
	sid, from := p.Get("MessageSid"), p.Get("From")
	if sid == "" || from == "" {
		return nil, badRequest("MessageSid and From are required")
	}
	return []Message{{From: from, Text: p.Get("Body"), Key: sid}}, nil
}

// Reports reads a status callback: one report.
func (t *Twilio) Reports(r *http.Request, body []byte) ([]Report, error) {
	p, err := t.form(r, body)
	if err != nil {
		return nil, err
	}
	sid, status := p.Get("MessageSid"), p.Get("MessageStatus")
	if sid == "" || status == "" {
		return nil, badRequest("MessageSid and MessageStatus are required")
	}
	return []Report{{ID: sid, Status: twilioStatus(status), Code: p.Get("ErrorCode")}}, nil
}

// twilioStatus maps Twilio's message statuses; an unknown one ranks 0 and
// is ignored.
func twilioStatus(s string) Status {
	switch s {
	case "queued", "accepted", "scheduled":
		return StatusQueued
	case "sending", "sent":
		return StatusSent
	case "delivered", "read", "partially_delivered":
		return StatusDelivered
	case "undelivered":
		return StatusUndelivered
	case "failed", "canceled":
		return StatusFailed
	}
	return ""
}

// twilioReply is the part of the Messages API's answer read here, for
// success and error alike.
type twilioReply struct {
	SID     string `json:"sid"`
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// Send posts the message to the Messages API.
func (t *Twilio) Send(ctx context.Context, to, text string) (string, error) {
	form := map[string]string{"To": to, "Body": text}
	if t.cfg.MessagingService != "" {
		form["MessagingServiceSid"] = t.cfg.MessagingService
	} else {
		form["From"] = t.cfg.From
	}
	if t.cfg.StatusCallback != "" {
		form["StatusCallback"] = t.cfg.StatusCallback
	}
	resp, err := t.api.R().SetContext(ctx).SetFormData(form).
		Post("/2010-04-01/Accounts/" + url.PathEscape(t.cfg.AccountSID) + "/Messages.json")
	if err != nil {
		return "", &channels.SendError{Retryable: true, Err: fmt.Errorf("twilio: %w", transportErr(err))}
	}
	var rep twilioReply
	_ = json.Unmarshal(resp.Body(), &rep)
	return twilioOutcome(resp.StatusCode(), rep)
}

// twilioOutcome turns the API's answer into the sent message's id or a
// send error: throttling and server errors are retried, other refusals
// (an invalid or opted-out number) are not.
func twilioOutcome(status int, rep twilioReply) (string, error) {
	switch {
	case status >= 200 && status < 300 && rep.SID != "":
		return rep.SID, nil
	case status == http.StatusTooManyRequests || rep.Code == 20429 || status >= 500:
		return "", &channels.SendError{Retryable: true, Err: fmt.Errorf("twilio: HTTP %d, code %s", status, twilioCode(rep.Code))}
	case rep.Code == 21610:
		return "", &channels.SendError{Retryable: false, Err: fmt.Errorf("twilio: code 21610: %w", errOptedOut)}
	}
	return "", &channels.SendError{Retryable: false, Err: fmt.Errorf("twilio: HTTP %d, code %s", status, twilioCode(rep.Code))}
}

// twilioCode is an error code of Twilio's (five digits) for an error
// message; anything longer could be a phone number, and is not shown.
func twilioCode(code int) string {
	if code < 0 || code > 99999 {
		return "other"
	}
	return strconv.Itoa(code)
}

// transportErr is a transport failure without the request's URL, which
// may carry credentials in other providers' APIs.
func transportErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
