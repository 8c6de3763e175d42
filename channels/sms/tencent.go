package sms

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-resty/resty/v2"

	"hotline/channels"
)

// TencentConfig is one Tencent Cloud SMS application with the signature
// and template its messages go out under.
type TencentConfig struct {
	// SecretID and SecretKey sign API calls (TC3-HMAC-SHA256).
	SecretID  string
	SecretKey string
	// SdkAppID is the SMS application's id, such as 1400006666.
	SdkAppID string
	// SignName is the approved signature, without brackets. Mainland
	// numbers need one; an application that only sends abroad may leave
	// it empty.
	SignName string
	// TemplateID is the approved template every message is sent through;
	// its one variable takes the whole text.
	TemplateID string
	// Region is the API region. Default ap-guangzhou.
	Region string
	// APIURL replaces https://sms.tencentcloudapi.com, for tests.
	APIURL string
	// Timeout bounds one API call. Default 10s.
	Timeout time.Duration
	// Now is the clock of request timestamps. Default time.Now.
	Now func() time.Time
}

// Tencent is the Tencent Cloud SMS provider. Its callbacks carry no
// signature; the channel's path token and address list protect them.
type Tencent struct {
	cfg  TencentConfig
	host string
	api  *resty.Client
}

var _ Provider = (*Tencent)(nil)

// NewTencent builds the provider; it returns an error when a credential,
// the application or the template is missing, or when the API URL is not
// an http(s) URL.
func NewTencent(c TencentConfig) (*Tencent, error) {
	switch {
	case c.SecretID == "" || c.SecretKey == "":
		return nil, errors.New("tencent: secret id and secret key are required")
	case c.SdkAppID == "":
		return nil, errors.New("tencent: an sdk app id is required")
	case c.TemplateID == "":
		return nil, errors.New("tencent: a template id is required")
	}
	if c.Region == "" {
		c.Region = "ap-guangzhou"
	}
	if c.APIURL == "" {
		c.APIURL = "https://sms.tencentcloudapi.com"
	}
	u, err := url.Parse(c.APIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("tencent: api_url must be an http(s) URL")
	}
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	api := resty.New().SetBaseURL(strings.TrimRight(c.APIURL, "/")).SetTimeout(c.Timeout)
	return &Tencent{cfg: c, host: u.Host, api: api}, nil
}

// Kind is "tencent".
func (t *Tencent) Kind() string { return "tencent" }

// tencentAck is the body Tencent Cloud expects for a callback it should
// not repeat.
var tencentAck = []byte(`{"result":0,"errmsg":"OK"}`)

// Ack is Tencent Cloud's success answer, {"result":0,"errmsg":"OK"}.
func (t *Tencent) Ack() Response {
	return Response{ContentType: "application/json", Body: tencentAck}
}

// jsonItems checks that body is valid UTF-8 and either one JSON object or
// an array of them, and returns the objects undecoded. what names the
// items in reasons.
func jsonItems(body []byte, what string) ([]json.RawMessage, error) {
	if !utf8.Valid(body) {
		return nil, badRequest("body is not valid UTF-8")
	}
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) > 0 && trimmed[0] == '{':
		if !json.Valid(trimmed) {
			return nil, badRequest("body is not a valid JSON " + what)
		}
		return []json.RawMessage{trimmed}, nil
	case len(trimmed) > 0 && trimmed[0] == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(trimmed, &items); err != nil {
			return nil, badRequest("body is not a valid JSON array of " + what)
		}
		return items, nil
	}
	return nil, badRequest("body is not a JSON " + what + " or an array of them")
}

// decodeItems decodes every item of a one-or-many JSON body into a T.
func decodeItems[T any](body []byte, what string) ([]T, error) {
	raw, err := jsonItems(body, what)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal(r, &out[i]); err != nil {
			return nil, badRequest("an item is not a valid " + what)
		}
	}
	return out, nil
}

// tencentReply is one reply callback (上行).
type tencentReply struct {
	Extend     looseString `json:"extend"`
	Mobile     looseString `json:"mobile"`
	NationCode looseString `json:"nationcode"`
	Sign       string      `json:"sign"`
	Text       string      `json:"text"`
	Time       looseString `json:"time"`
}

// Inbound reads a reply callback: one JSON object, or an array of them.
// Replies carry no id, so each is keyed by number, time and a hash of the
// text.
func (t *Tencent) Inbound(r *http.Request, body []byte) ([]Message, error) {
	items, err := decodeItems[tencentReply](body, "reply object")
	if err != nil {
		return nil, err
	}
	msgs := make([]Message, 0, len(items))
	for _, it := range items {
		if it.Mobile == "" || it.Time == "" {
			return nil, badRequest("a reply lacks mobile or time")
		}
		sec, err := strconv.ParseInt(string(it.Time), 10, 64)
		if err != nil {
			return nil, badRequest("a reply's time is not Unix seconds")
		}
		nation := strings.TrimPrefix(string(it.NationCode), "+")
		if nation == "" {
			nation = chinaCode
		}
		sum := sha1.Sum([]byte(it.Text))
		msgs = append(msgs, Message{
			From: "+" + nation + string(it.Mobile),
			Text: it.Text,
			Key:  "up:" + nation + string(it.Mobile) + ":" + strconv.FormatInt(sec, 10) + ":" + hex.EncodeToString(sum[:])[:16],
			At:   time.Unix(sec, 0),
		})
	}
	return msgs, nil
}

// tencentReport is one item of a delivery-report callback.
type tencentReport struct {
	UserReceiveTime string      `json:"user_receive_time"`
	NationCode      looseString `json:"nationcode"`
	Mobile          looseString `json:"mobile"`
	ReportStatus    string      `json:"report_status"`
	ErrMsg          string      `json:"errmsg"`
	Description     string      `json:"description"`
	SID             looseString `json:"sid"`
}

// Reports reads a delivery-report callback: a JSON array of reports (one
// bare object is read too), each naming the SerialNo Send returned. A
// report_status other than SUCCESS and FAIL has no status and is ignored.
func (t *Tencent) Reports(r *http.Request, body []byte) ([]Report, error) {
	items, err := decodeItems[tencentReport](body, "report object")
	if err != nil {
		return nil, err
	}
	reps := make([]Report, 0, len(items))
	for _, it := range items {
		if it.SID == "" {
			return nil, badRequest("a report lacks sid")
		}
		var st Status
		switch strings.ToUpper(it.ReportStatus) {
		case "SUCCESS":
			st = StatusDelivered
		case "FAIL":
			st = StatusFailed
		}
		reps = append(reps, Report{ID: string(it.SID), Status: st, Code: it.ErrMsg})
	}
	return reps, nil
}

// tencentSendRequest is SendSms's request body.
type tencentSendRequest struct {
	PhoneNumberSet   []string `json:"PhoneNumberSet"`
	SmsSdkAppID      string   `json:"SmsSdkAppId"`
	SignName         string   `json:"SignName,omitempty"`
	TemplateID       string   `json:"TemplateId"`
	TemplateParamSet []string `json:"TemplateParamSet"`
}

// tencentSendReply is the part of SendSms's answer read here. Messages
// are never read: they can quote the request.
type tencentSendReply struct {
	Response struct {
		SendStatusSet []struct {
			SerialNo string `json:"SerialNo"`
			Code     string `json:"Code"`
		} `json:"SendStatusSet"`
		Error *struct {
			Code string `json:"Code"`
		} `json:"Error"`
	} `json:"Response"`
}

// tencentContentType is the Content-Type of API calls, signed with them.
const tencentContentType = "application/json; charset=utf-8"

// Send calls SendSms for one number, the text filling the template's one
// variable.
func (t *Tencent) Send(ctx context.Context, to, text string) (string, error) {
	phone, err := NormalizePhone(to, chinaCode)
	if err != nil {
		return "", &channels.SendError{Retryable: false, Err: fmt.Errorf("tencent: %w", err)}
	}
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(tencentSendRequest{
		PhoneNumberSet:   []string{phone},
		SmsSdkAppID:      t.cfg.SdkAppID,
		SignName:         t.cfg.SignName,
		TemplateID:       t.cfg.TemplateID,
		TemplateParamSet: []string{text},
	}); err != nil {
		return "", &channels.SendError{Retryable: false, Err: errors.New("tencent: request not encodable")}
	}
	payload := bytes.TrimSuffix(body.Bytes(), []byte("\n"))
	ts := t.cfg.Now().Unix()
	auth, _, _ := tc3Authorization(tc3Request{
		SecretID: t.cfg.SecretID, SecretKey: t.cfg.SecretKey,
		Service: "sms", Host: t.host, Action: "SendSms", Version: "2021-01-11", Region: t.cfg.Region,
		Payload: payload, Timestamp: ts, ContentType: tencentContentType,
	})

	resp, err := t.api.R().SetContext(ctx).
		SetHeader("Content-Type", tencentContentType).
		SetHeader("Authorization", auth).
		SetHeader("X-TC-Action", "SendSms").
		SetHeader("X-TC-Version", "2021-01-11").
		SetHeader("X-TC-Timestamp", strconv.FormatInt(ts, 10)).
		SetHeader("X-TC-Region", t.cfg.Region).
		SetBody(payload).
		Post("/")
	if err != nil {
		return "", &channels.SendError{Retryable: true, Err: fmt.Errorf("tencent: %w", transportErr(err))}
	}
	var rep tencentSendReply
	_ = json.Unmarshal(resp.Body(), &rep)
	return tencentOutcome(resp.StatusCode(), rep)
}

// tencentOutcome turns SendSms's answer into the message's SerialNo or a
// send error, by the API error's code or else the number's status code.
func tencentOutcome(status int, rep tencentSendReply) (string, error) {
	r := rep.Response
	switch {
	case r.Error != nil:
		return "", tencentError(status, r.Error.Code)
	case status == http.StatusTooManyRequests || status >= 500:
		return "", &channels.SendError{Retryable: true, Err: fmt.Errorf("tencent: HTTP %d", status)}
	case status < 200 || status >= 300:
		return "", &channels.SendError{Retryable: false, Err: fmt.Errorf("tencent: HTTP %d", status)}
	case len(r.SendStatusSet) == 0:
		// Not retried, as the message may have gone.
		return "", &channels.SendError{Retryable: false, Err: errors.New("tencent: answer without a send status")}
	}
	st := r.SendStatusSet[0]
	switch {
	case st.Code == "Ok" && st.SerialNo != "":
		return st.SerialNo, nil
	case st.Code == "Ok":
		return "", &channels.SendError{Retryable: false, Err: errors.New("tencent: accepted without a SerialNo")}
	}
	return "", tencentError(status, st.Code)
}

// tencentError is the send error for an error code.
func tencentError(status int, code string) error {
	if tencentRetryable(code) && strings.HasPrefix(code, "LimitExceeded.") {
		return &channels.SendError{Retryable: true, Err: fmt.Errorf("tencent: code %s: %w", safeCode(code), errNumberLimit)}
	}
	retry := tencentRetryable(code) || status == http.StatusTooManyRequests || status >= 500
	return &channels.SendError{Retryable: retry, Err: fmt.Errorf("tencent: HTTP %d, code %s", status, safeCode(code))}
}

// tencentRetryable reports whether an error code is a temporary refusal:
// request-rate limits, internal errors, the short per-number frequency
// limits and the hours when marketing messages may not go out. Daily
// limits, a blocklisted number, a bad number, template, signature,
// balance or credential are permanent.
func tencentRetryable(code string) bool {
	switch {
	case strings.HasPrefix(code, "RequestLimitExceeded"), strings.HasPrefix(code, "InternalError"):
		return true
	}
	switch code {
	case "LimitExceeded.PhoneNumberThirtySecondLimit",
		"LimitExceeded.PhoneNumberOneHourLimit",
		"LimitExceeded.DeliveryFrequencyLimit",
		"FailedOperation.MarketingSendTimeConstraint",
		"ServiceUnavailable":
		return true
	}
	return false
}
