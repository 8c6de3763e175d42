package sms

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-resty/resty/v2"

	"hotline/channels"
)

// AliyunConfig is one Alibaba Cloud SMS (dysmsapi) account with the
// signature and template its messages go out under.
type AliyunConfig struct {
	// AccessKeyID and AccessKeySecret sign API calls.
	AccessKeyID     string
	AccessKeySecret string
	// SignName is the approved signature (签名), without brackets.
	SignName string
	// TemplateCode is the approved template (SMS_…) every message is
	// sent through; its one variable takes the whole text.
	TemplateCode string
	// TemplateParam names the template variable that takes the text.
	// Default "content".
	TemplateParam string
	// APIURL replaces https://dysmsapi.aliyuncs.com, for tests.
	APIURL string
	// Timeout bounds one API call. Default 10s.
	Timeout time.Duration
	// Now is the clock of request timestamps; Nonce makes each request's
	// SignatureNonce. Defaults: time.Now and 16 random bytes in hex.
	Now   func() time.Time
	Nonce func() string
}

// Aliyun is the Alibaba Cloud SMS provider. Its callbacks (HTTP batch
// push) carry no signature; the channel's path token and address list
// protect them.
type Aliyun struct {
	cfg AliyunConfig
	api *resty.Client
}

var _ Provider = (*Aliyun)(nil)

// NewAliyun builds the provider; it returns an error when a credential,
// the signature or the template is missing.
func NewAliyun(c AliyunConfig) (*Aliyun, error) {
	switch {
	case c.AccessKeyID == "" || c.AccessKeySecret == "":
		return nil, errors.New("aliyun: access key id and secret are required")
	case c.SignName == "":
		return nil, errors.New("aliyun: a sign name is required")
	case c.TemplateCode == "":
		return nil, errors.New("aliyun: a template code is required")
	}
	if c.TemplateParam == "" {
		c.TemplateParam = "content"
	}
	if c.APIURL == "" {
		c.APIURL = "https://dysmsapi.aliyuncs.com"
	}
	if !strings.HasPrefix(c.APIURL, "https://") && !strings.HasPrefix(c.APIURL, "http://") {
		return nil, errors.New("aliyun: api_url must be an http(s) URL")
	}
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Nonce == nil {
		c.Nonce = randomNonce
	}
	api := resty.New().SetBaseURL(strings.TrimRight(c.APIURL, "/")).SetTimeout(c.Timeout)
	return &Aliyun{cfg: c, api: api}, nil
}

// randomNonce is 16 random bytes in hex.
func randomNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Kind is "aliyun".
func (a *Aliyun) Kind() string { return "aliyun" }

// aliyunAck is the body Alibaba Cloud expects for a push it should not
// repeat.
var aliyunAck = []byte(`{"code":0,"msg":"接收成功"}`)

// Ack is Alibaba Cloud's success answer, {"code":0,"msg":"接收成功"}.
func (a *Aliyun) Ack() Response {
	return Response{ContentType: "application/json", Body: aliyunAck}
}

// looseString is a JSON string or number read as text: providers type
// some fields (ids, times) as one or the other in different versions of
// their documents. null reads as empty.
type looseString string

// UnmarshalJSON takes a string, a number's literal digits, a boolean's
// literal or null.
func (s *looseString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return errors.New("empty value")
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = looseString(v)
	case string(b) == "null":
		*s = ""
	case string(b) == "true" || string(b) == "false":
		*s = looseString(b)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return errors.New("want a string or a number")
		}
		*s = looseString(n)
	}
	return nil
}

// jsonArray checks that body is valid UTF-8 and a JSON array, and decodes
// it into v, a pointer to a slice. what names the items in reasons.
func jsonArray(body []byte, what string, v any) error {
	if !utf8.Valid(body) {
		return badRequest("body is not valid UTF-8")
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '[' {
		return badRequest("body is not a JSON array of " + what)
	}
	if err := json.Unmarshal(trimmed, v); err != nil {
		return badRequest("body is not a valid JSON array of " + what)
	}
	return nil
}

// aliyunUp is one item of an SmsUp push.
type aliyunUp struct {
	PhoneNumber string      `json:"phone_number"`
	Content     string      `json:"content"`
	SendTime    string      `json:"send_time"`
	DestCode    string      `json:"dest_code"`
	SequenceID  looseString `json:"sequence_id"`
	SignName    string      `json:"sign_name"`
}

// chinaTime is the zone of Alibaba Cloud's and Tencent Cloud's local
// times: UTC+8, which has had no daylight saving since 1991.
var chinaTime = time.FixedZone("CST", 8*3600)

// aliyunTime reads a send_time as 2006-01-02 15:04:05 or 20060102150405
// in China time; anything else is the zero time.
func aliyunTime(s string) time.Time {
	for _, layout := range []string{time.DateTime, "20060102150405"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), chinaTime); err == nil {
			return t
		}
	}
	return time.Time{}
}

// Inbound reads an SmsUp push: a JSON array of replies, each keyed by its
// sequence_id and number.
func (a *Aliyun) Inbound(r *http.Request, body []byte) ([]Message, error) {
	var items []aliyunUp
	if err := jsonArray(body, "SmsUp items", &items); err != nil {
		return nil, err
	}
	msgs := make([]Message, 0, len(items))
	for _, it := range items {
		if it.PhoneNumber == "" || it.SequenceID == "" {
			return nil, badRequest("an SmsUp item lacks phone_number or sequence_id")
		}
		msgs = append(msgs, Message{
			From: it.PhoneNumber,
			Text: it.Content,
			Key:  "up:" + string(it.SequenceID) + ":" + it.PhoneNumber,
			At:   aliyunTime(it.SendTime),
		})
	}
	return msgs, nil
}

// aliyunReport is one item of an SmsReport push.
type aliyunReport struct {
	PhoneNumber string      `json:"phone_number"`
	SendTime    string      `json:"send_time"`
	ReportTime  string      `json:"report_time"`
	Success     looseString `json:"success"`
	ErrCode     string      `json:"err_code"`
	ErrMsg      string      `json:"err_msg"`
	SmsSize     looseString `json:"sms_size"`
	BizID       looseString `json:"biz_id"`
	OutID       string      `json:"out_id"`
}

// Reports reads an SmsReport push: a JSON array of receipts, each naming
// the BizId Send returned.
func (a *Aliyun) Reports(r *http.Request, body []byte) ([]Report, error) {
	var items []aliyunReport
	if err := jsonArray(body, "SmsReport items", &items); err != nil {
		return nil, err
	}
	reps := make([]Report, 0, len(items))
	for _, it := range items {
		if it.BizID == "" {
			return nil, badRequest("an SmsReport item lacks biz_id")
		}
		st := StatusFailed
		if it.Success == "true" {
			st = StatusDelivered
		}
		reps = append(reps, Report{ID: string(it.BizID), Status: st, Code: it.ErrCode})
	}
	return reps, nil
}

// aliyunReply is the part of SendSms's answer read here, for success and
// error alike. Message is never read: it can quote the request.
type aliyunReply struct {
	Code  string `json:"Code"`
	BizID string `json:"BizId"`
}

// Send calls SendSms for one number, the text filling the template's one
// variable.
func (a *Aliyun) Send(ctx context.Context, to, text string) (string, error) {
	phone, err := NormalizePhone(to, chinaCode)
	if err != nil {
		return "", &channels.SendError{Retryable: false, Err: fmt.Errorf("aliyun: %w", err)}
	}
	number := strings.TrimPrefix(phone, "+")
	if strings.HasPrefix(number, chinaCode) {
		number = number[len(chinaCode):]
	}
	var tp bytes.Buffer
	enc := json.NewEncoder(&tp)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]string{a.cfg.TemplateParam: text}); err != nil {
		return "", &channels.SendError{Retryable: false, Err: errors.New("aliyun: template parameter not encodable")}
	}

	params := map[string]string{
		"Action":           "SendSms",
		"Version":          "2017-05-25",
		"Format":           "JSON",
		"RegionId":         "cn-hangzhou",
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureVersion": "1.0",
		"SignatureNonce":   a.cfg.Nonce(),
		"Timestamp":        a.cfg.Now().UTC().Format("2006-01-02T15:04:05Z"),
		"AccessKeyId":      a.cfg.AccessKeyID,
		"PhoneNumbers":     number,
		"SignName":         a.cfg.SignName,
		"TemplateCode":     a.cfg.TemplateCode,
		"TemplateParam":    strings.TrimSuffix(tp.String(), "\n"),
	}
	params["Signature"] = aliyunSignature(a.cfg.AccessKeySecret, http.MethodPost, params)

	resp, err := a.api.R().SetContext(ctx).SetFormData(params).Post("/")
	if err != nil {
		return "", &channels.SendError{Retryable: true, Err: fmt.Errorf("aliyun: %w", transportErr(err))}
	}
	var rep aliyunReply
	_ = json.Unmarshal(resp.Body(), &rep)
	return aliyunOutcome(resp.StatusCode(), rep)
}

// aliyunOutcome turns SendSms's answer into the message's BizId or a send
// error: flow control, throttling, the platform's own errors and server
// errors are retried; a bad number, template, signature, balance or
// credential is not.
func aliyunOutcome(status int, rep aliyunReply) (string, error) {
	code := safeCode(rep.Code)
	switch {
	case status >= 200 && status < 300 && rep.Code == "OK" && rep.BizID != "":
		return rep.BizID, nil
	case status >= 200 && status < 300 && rep.Code == "OK":
		// Accepted without an id: not retried, as a retry could send twice.
		return "", &channels.SendError{Retryable: false, Err: errors.New("aliyun: accepted without a BizId")}
	case rep.Code == "isv.BUSINESS_LIMIT_CONTROL":
		return "", &channels.SendError{Retryable: true, Err: fmt.Errorf("aliyun: code %s: %w", code, errNumberLimit)}
	case aliyunRetryable(rep.Code) || status == http.StatusTooManyRequests || status >= 500:
		return "", &channels.SendError{Retryable: true, Err: fmt.Errorf("aliyun: HTTP %d, code %s", status, code)}
	}
	return "", &channels.SendError{Retryable: false, Err: fmt.Errorf("aliyun: HTTP %d, code %s", status, code)}
}

// aliyunRetryable reports whether an error code is a temporary refusal.
// isp.RAM_PERMISSION_DENY is the one isp code that is not: the key lacks
// the permission until someone grants it.
func aliyunRetryable(code string) bool {
	switch {
	case code == "isv.BUSINESS_LIMIT_CONTROL", code == "SignatureNonceUsed",
		code == "ServiceUnavailable", code == "InternalError":
		return true
	case code == "isp.RAM_PERMISSION_DENY":
		return false
	case strings.HasPrefix(code, "Throttling"), strings.HasPrefix(code, "isp."):
		return true
	}
	return false
}

// safeCode is a provider's error code fit for an error message: at most
// 64 letters, digits, dots, dashes and underscores, or "none". A code
// with seven digits or more, which no provider's code has but a phone
// number does, is shown as "withheld".
func safeCode(code string) string {
	var b strings.Builder
	digits := 0
	for _, r := range code {
		if b.Len() >= 64 {
			break
		}
		switch {
		case r >= '0' && r <= '9':
			digits++
			b.WriteRune(r)
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		}
	}
	switch {
	case digits >= maxCodeDigits:
		return "withheld"
	case b.Len() == 0:
		return "none"
	}
	return b.String()
}

// maxCodeDigits is the fewest digits that make safeCode withhold a code.
const maxCodeDigits = 7
