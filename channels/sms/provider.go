package sms

import (
	"context"
	"net/http"
	"time"
)

// Provider is one SMS provider's wire format and API. The channel calls it
// to read the provider's callbacks and to send; everything else (keywords,
// de-duplication, rate limits, statuses) the channel does itself.
type Provider interface {
	// Kind names the provider type, as in config: twilio, aliyun,
	// tencent or webhook.
	Kind() string
	// Inbound verifies an inbound-message callback and parses its
	// messages. body is the whole request body, already size-limited. A
	// request that fails verification or parsing returns a *RequestError.
	Inbound(r *http.Request, body []byte) ([]Message, error)
	// Reports verifies a delivery-report callback and parses its reports.
	Reports(r *http.Request, body []byte) ([]Report, error)
	// Ack is the response the provider expects for a callback it should
	// not send again.
	Ack() Response
	// Send submits one text to a phone number in E.164 form and returns
	// the provider's id for the message, which its delivery reports name.
	// Failures are *channels.SendError, retryable or not.
	Send(ctx context.Context, to, text string) (string, error)
}

// Message is one inbound SMS, as a provider delivered it.
type Message struct {
	// From is the sender's number as the provider gave it; the channel
	// normalises it.
	From string
	// Text is the message body.
	Text string
	// Key is the provider's de-duplication key for the message: its id,
	// or what the notes on the provider say identifies a repeat.
	Key string
	// At is when the provider says the message was sent, if it says.
	At time.Time
}

// Report is one delivery report: what became of a message we sent.
type Report struct {
	// ID is the provider's id of the sent message, as Send returned it.
	ID string
	// Status is the new status.
	Status Status
	// Code is the provider's or carrier's code, such as DELIVRD or 30003.
	Code string
}

// Response is a callback's answer, in the provider's format.
type Response struct {
	// ContentType is the response's Content-Type.
	ContentType string
	// Body is the exact body.
	Body []byte
}

// RequestError is a callback the channel refuses, with the HTTP status
// and a reason for the caller that names no personal data or secret.
type RequestError struct {
	// Status is the HTTP status to answer: 400, 401, 403 or 413.
	Status int
	// Reason says what is wrong.
	Reason string
}

// Error returns the reason.
func (e *RequestError) Error() string { return e.Reason }

// badRequest is a 400 with a reason.
func badRequest(reason string) error {
	return &RequestError{Status: http.StatusBadRequest, Reason: reason}
}

// forbidden is a 403 with a reason.
func forbidden(reason string) error {
	return &RequestError{Status: http.StatusForbidden, Reason: reason}
}
