package sms

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"hotline/channels"
)

const (
	tencentSecretID  = "AKIDtestsecretid"
	tencentSecretKey = "tencent-test-key-8b1d7a"
)

// tencentFixedNow is the clock of the Tencent send tests.
var tencentFixedNow = time.Date(2026, 3, 4, 23, 59, 30, 0, time.UTC)

func newTestTencent(t *testing.T, api string, timeout time.Duration) *Tencent {
	t.Helper()
	p, err := NewTencent(TencentConfig{SecretID: tencentSecretID, SecretKey: tencentSecretKey,
		SdkAppID: "1400006666", SignName: "热线", TemplateID: "449739", APIURL: api, Timeout: timeout,
		Now: func() time.Time { return tencentFixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTencentConfig(t *testing.T) {
	good := TencentConfig{SecretID: "id", SecretKey: "k", SdkAppID: "1400006666", SignName: "n", TemplateID: "1"}
	p, err := NewTencent(good)
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind() != "tencent" || p.cfg.Region != "ap-guangzhou" || p.host != "sms.tencentcloudapi.com" {
		t.Errorf("defaults: %+v, host %q", p.cfg, p.host)
	}
	noSign := good
	noSign.SignName = ""
	if _, err := NewTencent(noSign); err != nil {
		t.Errorf("an application sending abroad only needs no sign name: %v", err)
	}
	for name, tweak := range map[string]func(*TencentConfig){
		"no secret id":  func(c *TencentConfig) { c.SecretID = "" },
		"no secret key": func(c *TencentConfig) { c.SecretKey = "" },
		"no app":        func(c *TencentConfig) { c.SdkAppID = "" },
		"no template":   func(c *TencentConfig) { c.TemplateID = "" },
		"bad url":       func(c *TencentConfig) { c.APIURL = "sms.tencentcloudapi.com" },
	} {
		c := good
		tweak(&c)
		if _, err := NewTencent(c); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// tencentReplyKey is the key the notes prescribe for a reply.
func tencentReplyKey(nation, mobile string, sec int64, text string) string {
	return "up:" + nation + mobile + ":" + strconv.FormatInt(sec, 10) + ":" + sha1Hex16(text)
}

// sha1Hex16 is the first 16 hex digits of text's SHA-1, computed apart
// from the code under test.
func sha1Hex16(text string) string {
	known := map[string]string{
		// printf %s 用户回复的内容 | openssl sha1
		"用户回复的内容": "0ed0299e304f7ea0",
	}
	return known[text]
}

func TestTencentInbound(t *testing.T) {
	p := newTestTencent(t, "http://127.0.0.1:1", time.Second)
	example := `{"extend":"扩展码","mobile":"13xxxxxxxxx","nationcode":"86","sign":"短信签名","text":"用户回复的内容","time":1457336869}`
	got, err := p.Inbound(httptest.NewRequest(http.MethodPost, "/", nil), []byte(example))
	if err != nil {
		t.Fatal(err)
	}
	want := Message{From: "+8613xxxxxxxxx", Text: "用户回复的内容",
		Key: tencentReplyKey("86", "13xxxxxxxxx", 1457336869, "用户回复的内容"), At: time.Unix(1457336869, 0)}
	if len(got) != 1 || got[0].From != want.From || got[0].Text != want.Text || got[0].Key != want.Key ||
		!got[0].At.Equal(want.At) {
		t.Errorf("documented example: %+v, want %+v", got, want)
	}

	// An array, a missing nationcode (86), a time as a string.
	arr := `[{"mobile":"13800138000","text":"TD","time":1700000000},` +
		`{"mobile":"91234567","nationcode":"852","text":"hi","time":"1700000001"}]`
	got, err = p.Inbound(httptest.NewRequest(http.MethodPost, "/", nil), []byte(arr))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].From != "+8613800138000" || got[1].From != "+85291234567" ||
		!strings.HasPrefix(got[0].Key, "up:8613800138000:1700000000:") || len(got[0].Key) != len("up:8613800138000:1700000000:")+16 ||
		!strings.HasPrefix(got[1].Key, "up:85291234567:1700000001:") {
		t.Errorf("array: %+v", got)
	}

	// The same reply sent twice has the same key; another text another.
	a, _ := p.Inbound(nil, []byte(`{"mobile":"13800138000","text":"一","time":1700000000}`))
	b, _ := p.Inbound(nil, []byte(`{"mobile":"13800138000","nationcode":"86","text":"一","time":1700000000}`))
	c, _ := p.Inbound(nil, []byte(`{"mobile":"13800138000","text":"二","time":1700000000}`))
	if len(a) != 1 || len(b) != 1 || len(c) != 1 || a[0].Key != b[0].Key || a[0].Key == c[0].Key {
		t.Errorf("keys: %v %v %v", a, b, c)
	}

	for name, body := range map[string]string{
		"not JSON":      `mobile=13800138000`,
		"empty":         ``,
		"a string":      `"x"`,
		"broken object": `{"mobile":"13800138000"`,
		"no mobile":     `{"nationcode":"86","text":"a","time":1700000000}`,
		"no time":       `{"mobile":"13800138000","text":"a"}`,
		"time not unix": `{"mobile":"13800138000","text":"a","time":"2016-03-07"}`,
		"item not obj":  `[1]`,
		"invalid UTF-8": "{\"mobile\":\"13800138000\",\"text\":\"\xe4\xb8\",\"time\":1700000000}",
	} {
		_, err := p.Inbound(httptest.NewRequest(http.MethodPost, "/", nil), []byte(body))
		requestError(t, name, err, http.StatusBadRequest)
	}
}

func TestTencentReports(t *testing.T) {
	p := newTestTencent(t, "http://127.0.0.1:1", time.Second)
	example := `[{"user_receive_time":"2015-10-17 08:03:04","nationcode":"86","mobile":"13xxxxxxxxx","report_status":"SUCCESS","errmsg":"DELIVRD","description":"用户短信送达成功","sid":"xxxxxxx"}]`
	got, err := p.Reports(httptest.NewRequest(http.MethodPost, "/", nil), []byte(example))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != (Report{ID: "xxxxxxx", Status: StatusDelivered, Code: "DELIVRD"}) {
		t.Errorf("documented example: %+v", got)
	}
	two := `[{"mobile":"13800138000","report_status":"FAIL","errmsg":"MK:0004","sid":"s1"},` +
		`{"mobile":"13900139000","report_status":"SUCCESS","errmsg":"DELIVRD","sid":"s2"}]`
	got, err = p.Reports(httptest.NewRequest(http.MethodPost, "/", nil), []byte(two))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (Report{ID: "s1", Status: StatusFailed, Code: "MK:0004"}) ||
		got[1] != (Report{ID: "s2", Status: StatusDelivered, Code: "DELIVRD"}) {
		t.Errorf("two reports: %+v", got)
	}
	for name, body := range map[string]string{
		"not JSON":      `report_status=SUCCESS`,
		"no sid":        `[{"mobile":"13800138000","report_status":"SUCCESS"}]`,
		"invalid UTF-8": "[{\"sid\":\"s1\",\"report_status\":\"SUCCESS\",\"description\":\"\xff\"}]",
	} {
		_, err := p.Reports(httptest.NewRequest(http.MethodPost, "/", nil), []byte(body))
		requestError(t, name, err, http.StatusBadRequest)
	}
}

func TestTencentAck(t *testing.T) {
	ack := newTestTencent(t, "http://127.0.0.1:1", time.Second).Ack()
	if ack.ContentType != "application/json" || string(ack.Body) != `{"result":0,"errmsg":"OK"}` {
		t.Errorf("Ack = %q %q", ack.ContentType, ack.Body)
	}
}

// checkTencentRequest checks a SendSms call: the headers, the body and
// the Authorization header recomputed from what arrived.
func checkTencentRequest(phone, text string) func(r *http.Request, body []byte) []string {
	return func(r *http.Request, body []byte) []string {
		var problems []string
		if r.Method != http.MethodPost || r.URL.Path != "/" {
			problems = append(problems, "want POST /, got "+r.Method+" "+r.URL.Path)
		}
		for k, v := range map[string]string{
			"Content-Type": "application/json; charset=utf-8", "X-TC-Action": "SendSms",
			"X-TC-Version": "2021-01-11", "X-TC-Region": "ap-guangzhou",
			"X-TC-Timestamp": strconv.FormatInt(tencentFixedNow.Unix(), 10),
		} {
			if got := r.Header.Get(k); got != v {
				problems = append(problems, k+" = "+got+", want "+v)
			}
		}
		ts, _ := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
		want, _, _ := tc3Authorization(tc3Request{SecretID: tencentSecretID, SecretKey: tencentSecretKey,
			Service: "sms", Host: r.Host, Action: r.Header.Get("X-TC-Action"), Version: r.Header.Get("X-TC-Version"),
			Region: r.Header.Get("X-TC-Region"), Payload: body, Timestamp: ts, ContentType: r.Header.Get("Content-Type")})
		if got := r.Header.Get("Authorization"); got != want {
			problems = append(problems, "Authorization "+got+", recomputed "+want)
		}
		if !strings.HasPrefix(r.Header.Get("Authorization"), "TC3-HMAC-SHA256 Credential="+tencentSecretID+"/2026-03-04/sms/tc3_request, ") {
			problems = append(problems, "Authorization scope "+r.Header.Get("Authorization"))
		}
		var req struct {
			PhoneNumberSet   []string
			SmsSdkAppId      string
			SignName         string
			TemplateId       string
			TemplateParamSet []string
		}
		if err := json.Unmarshal(body, &req); err != nil {
			return append(problems, "body: "+err.Error())
		}
		if len(req.PhoneNumberSet) != 1 || req.PhoneNumberSet[0] != phone || req.SmsSdkAppId != "1400006666" ||
			req.SignName != "热线" || req.TemplateId != "449739" || len(req.TemplateParamSet) != 1 ||
			req.TemplateParamSet[0] != text {
			problems = append(problems, "body "+string(body))
		}
		if strings.Contains(string(body), tencentSecretKey) {
			problems = append(problems, "the secret key is sent")
		}
		return problems
	}
}

// tencentStatus is a SendSms answer with one send status.
func tencentStatus(code, serial string) string {
	return `{"Response":{"SendStatusSet":[{"SerialNo":"` + serial + `","PhoneNumber":"+8613800138000","Fee":1,` +
		`"SessionContext":"","Code":"` + code + `","Message":"send success","IsoCode":"CN"}],"RequestId":"a0aabda6"}}`
}

// tencentErr is a SendSms answer with an API error.
func tencentErr(code, message string) string {
	return jsonOf(map[string]any{"Response": map[string]any{
		"Error": map[string]string{"Code": code, "Message": message}, "RequestId": "a0aabda6"}})
}

func TestTencentSend(t *testing.T) {
	const text = "您的工单 <A&B> 已受理 \"谢谢\""
	api := newFakeAPI(t, checkTencentRequest("+8613800138000", text))
	timeout := 300 * time.Millisecond
	p := newTestTencent(t, api.srv.URL, timeout)
	runSendCases(t, p, api, "+8613800138000", text, timeout, []string{tencentSecretKey}, []sendCase{
		{name: "success", id: "5000:1045710669157053657849499619", reply: replyJSON(200, tencentStatus("Ok", "5000:1045710669157053657849499619"))},
		{name: "request rate", retryable: true, reply: replyJSON(200, tencentErr("RequestLimitExceeded", "请求的次数超过了频率限制"))},
		{name: "thirty seconds", retryable: true,
			reply: replyJSON(200, tencentStatus("LimitExceeded.PhoneNumberThirtySecondLimit", ""))},
		{name: "internal", retryable: true, reply: replyJSON(200, tencentErr("InternalError.Timeout", "timeout"))},
		{name: "incorrect number", retryable: false,
			reply: replyJSON(200, tencentStatus("InvalidParameterValue.IncorrectPhoneNumber", ""))},
		{name: "blocklisted", retryable: false, reply: replyJSON(200, tencentStatus("FailedOperation.PhoneNumberInBlacklist", ""))},
		{name: "balance", retryable: false, reply: replyJSON(200, tencentErr("FailedOperation.InsufficientBalanceInSmsPackage", "余额不足"))},
		{name: "auth, message quoting the request", retryable: false,
			reply: replyJSON(200, tencentErr("AuthFailure.SignatureFailure", "string to sign with "+text+" and "+tencentSecretKey))},
		{name: "daily limit", retryable: false, reply: replyJSON(200, tencentStatus("LimitExceeded.PhoneNumberDailyLimit", ""))},
		{name: "Ok without serial", retryable: false, reply: replyJSON(200, tencentStatus("Ok", ""))},
		{name: "no status", retryable: false, reply: replyJSON(200, `{"Response":{"SendStatusSet":[],"RequestId":"1"}}`)},
		{name: "HTTP 500", retryable: true, reply: replyJSON(500, `oops`)},
		{name: "HTTP 502 with an error code", retryable: true, reply: replyJSON(502, tencentErr("UnknownParameter", "x"))},
		{name: "HTTP 403", retryable: false, reply: replyJSON(403, `forbidden`)},
		{name: "slow answer", retryable: true, reply: replySlowly},
	})
}

func TestTencentSendTransportError(t *testing.T) {
	api := newFakeAPI(t, func(*http.Request, []byte) []string { return nil })
	p := newTestTencent(t, api.srv.URL, time.Second)
	api.srv.Close()
	_, err := p.Send(context.Background(), "+8613800138000", "秘密的内容")
	if !channels.Retryable(err) {
		t.Fatalf("closed server: %v, want retryable", err)
	}
	noSecretsIn(t, "closed server", err.Error(), []string{"秘密的内容", tencentSecretKey, "13800138000"})
	if _, err := p.Send(context.Background(), "12", "x"); err == nil || channels.Retryable(err) {
		t.Errorf("bad number: %v, want a permanent error", err)
	}
}

func TestTencentRetryableCodes(t *testing.T) {
	for code, want := range map[string]bool{
		"RequestLimitExceeded": true, "RequestLimitExceeded.UinLimitExceeded": true, "InternalError": true,
		"InternalError.SendAndRecvFail": true, "LimitExceeded.PhoneNumberThirtySecondLimit": true,
		"LimitExceeded.PhoneNumberOneHourLimit": true, "LimitExceeded.DeliveryFrequencyLimit": true,
		"FailedOperation.MarketingSendTimeConstraint": true,
		"InvalidParameterValue.IncorrectPhoneNumber":  false, "UnauthorizedOperation.SmsSdkAppIdVerifyFail": false,
		"AuthFailure.SecretIdNotFound": false, "FailedOperation.InsufficientBalanceInSmsPackage": false,
		"FailedOperation.TemplateIncorrectOrUnapproved": false, "FailedOperation.SignatureIncorrectOrUnapproved": false,
		"FailedOperation.PhoneNumberInBlacklist": false, "LimitExceeded.PhoneNumberDailyLimit": false,
		"LimitExceeded.AppCountryOrRegionInBlacklist": false, "": false,
	} {
		if got := tencentRetryable(code); got != want {
			t.Errorf("tencentRetryable(%q) = %v, want %v", code, got, want)
		}
	}
}
