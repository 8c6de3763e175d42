package sms

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline/channels"
)

// fakeAPI is a provider's send API: every request goes through check,
// which reports what is wrong with it, and is then answered by the current
// reply.
type fakeAPI struct {
	t     *testing.T
	srv   *httptest.Server
	check func(r *http.Request, body []byte) []string
	mu    sync.Mutex
	reply func(w http.ResponseWriter, r *http.Request)
	calls int
}

// newFakeAPI starts a fake API that answers 200 {} until told otherwise.
func newFakeAPI(t *testing.T, check func(r *http.Request, body []byte) []string) *fakeAPI {
	f := &fakeAPI{t: t, check: check, reply: replyJSON(http.StatusOK, `{}`)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	for _, problem := range f.check(r, body) {
		f.t.Errorf("request: %s", problem)
	}
	f.mu.Lock()
	f.calls++
	reply := f.reply
	f.mu.Unlock()
	reply(w, r)
}

// answer sets the reply to the following requests.
func (f *fakeAPI) answer(reply func(w http.ResponseWriter, r *http.Request)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reply = reply
}

// replyJSON answers with a status and a JSON body.
func replyJSON(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// replySlowly answers only after the client has given up (or after 5s).
func replySlowly(w http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(5 * time.Second):
	}
	w.WriteHeader(http.StatusOK)
}

// sendCase is one answer of a send API and what Send should make of it.
type sendCase struct {
	name      string
	reply     func(http.ResponseWriter, *http.Request)
	id        string // the id returned on success
	retryable bool   // for failures
}

// runSendCases sends text through p once per case and checks the
// outcome, that slow answers give up near timeout, and that no error
// quotes the text or any of the secrets.
func runSendCases(t *testing.T, p Provider, api *fakeAPI, to, text string, timeout time.Duration,
	secrets []string, cases []sendCase) {
	t.Helper()
	for _, c := range cases {
		api.answer(c.reply)
		start := time.Now()
		id, err := p.Send(context.Background(), to, text)
		took := time.Since(start)
		switch {
		case c.id != "":
			if err != nil || id != c.id {
				t.Errorf("%s: Send = %q, %v; want %q", c.name, id, err, c.id)
			}
			continue
		case err == nil:
			t.Errorf("%s: Send = %q, nil; want an error", c.name, id)
			continue
		}
		var se *channels.SendError
		if !errors.As(err, &se) {
			t.Errorf("%s: error %T is not a *channels.SendError", c.name, err)
		}
		if got := channels.Retryable(err); got != c.retryable {
			t.Errorf("%s: Retryable = %v, want %v (%v)", c.name, got, c.retryable, err)
		}
		if took > timeout+time.Second {
			t.Errorf("%s: Send took %v with a timeout of %v", c.name, took, timeout)
		}
		noSecretsIn(t, c.name, err.Error(), append([]string{text}, secrets...))
	}
}

// jsonOf is v in JSON.
func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// callCount is how many requests the API has had.
func (f *fakeAPI) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// noSecretsIn fails when msg contains any of the secrets.
func noSecretsIn(t *testing.T, what, msg string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			t.Errorf("%s: error %q contains a secret or the text", what, msg)
		}
	}
}

// requestError checks that err is a *RequestError with the status.
func requestError(t *testing.T, what string, err error, status int) {
	t.Helper()
	var re *RequestError
	if !errors.As(err, &re) {
		t.Errorf("%s: error %v (%T), want a *RequestError", what, err, err)
		return
	}
	if re.Status != status {
		t.Errorf("%s: status %d, want %d (%s)", what, re.Status, status, re.Reason)
	}
	if re.Reason == "" {
		t.Errorf("%s: no reason", what)
	}
}

const (
	aliyunSecret = "aliyun-test-secret-5f2c9e"
	aliyunKeyID  = "LTAItestkeyid"
)

// aliyunFixedNow is the clock of the Aliyun send tests.
var aliyunFixedNow = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func newTestAliyun(t *testing.T, api string, timeout time.Duration) *Aliyun {
	t.Helper()
	a, err := NewAliyun(AliyunConfig{AccessKeyID: aliyunKeyID, AccessKeySecret: aliyunSecret,
		SignName: "热线", TemplateCode: "SMS_123456", APIURL: api, Timeout: timeout,
		Now: func() time.Time { return aliyunFixedNow }, Nonce: func() string { return "nonce-0001" }})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAliyunConfig(t *testing.T) {
	good := AliyunConfig{AccessKeyID: "id", AccessKeySecret: "s", SignName: "n", TemplateCode: "SMS_1"}
	a, err := NewAliyun(good)
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind() != "aliyun" || a.cfg.TemplateParam != "content" || a.cfg.APIURL != "https://dysmsapi.aliyuncs.com" {
		t.Errorf("defaults: %+v", a.cfg)
	}
	for name, tweak := range map[string]func(*AliyunConfig){
		"no key id":   func(c *AliyunConfig) { c.AccessKeyID = "" },
		"no secret":   func(c *AliyunConfig) { c.AccessKeySecret = "" },
		"no sign":     func(c *AliyunConfig) { c.SignName = "" },
		"no template": func(c *AliyunConfig) { c.TemplateCode = "" },
		"bad url":     func(c *AliyunConfig) { c.APIURL = "dysmsapi.aliyuncs.com" },
	} {
		c := good
		tweak(&c)
		if _, err := NewAliyun(c); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestAliyunInbound(t *testing.T) {
	a := newTestAliyun(t, "http://127.0.0.1:1", time.Second)
	shanghai := time.Date(2017, 9, 1, 0, 0, 0, 0, chinaTime)
	cases := []struct {
		name, body string
		want       []Message
	}{
		{"documented example, sequence_id a string",
			`[{"phone_number":"1381111****","content":"内容","send_time":"2017-09-01 00:00:00","dest_code":"1234","sequence_id":"1234567890"}]`,
			[]Message{{From: "1381111****", Text: "内容", Key: "up:1234567890:1381111****", At: shanghai}}},
		{"older form, sequence_id a number, sign_name, compact send_time",
			`[{"phone_number":"13800138000","content":"TD","send_time":"20170901000000","dest_code":"1234","sequence_id":1234567890,"sign_name":"热线"}]`,
			[]Message{{From: "13800138000", Text: "TD", Key: "up:1234567890:13800138000", At: shanghai}}},
		{"two items",
			`[{"phone_number":"13800138000","content":"a","sequence_id":"1"},{"phone_number":"13900139000","content":"b","sequence_id":2}]`,
			[]Message{{From: "13800138000", Text: "a", Key: "up:1:13800138000"},
				{From: "13900139000", Text: "b", Key: "up:2:13900139000"}}},
		{"empty array", `[]`, []Message{}},
	}
	for _, c := range cases {
		got, err := a.Inbound(httptest.NewRequest(http.MethodPost, "/", nil), []byte(c.body))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %d messages, want %d", c.name, len(got), len(c.want))
			continue
		}
		for i := range got {
			if got[i].From != c.want[i].From || got[i].Text != c.want[i].Text || got[i].Key != c.want[i].Key ||
				!got[i].At.Equal(c.want[i].At) {
				t.Errorf("%s: message %d = %+v, want %+v", c.name, i, got[i], c.want[i])
			}
		}
	}
	if !shanghai.Equal(time.Date(2017, 8, 31, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("send_time is not read as UTC+8")
	}
}

func TestAliyunInboundRefused(t *testing.T) {
	a := newTestAliyun(t, "http://127.0.0.1:1", time.Second)
	for name, body := range map[string]string{
		"not JSON":         `phone_number=1`,
		"an object":        `{"phone_number":"13800138000","content":"a","sequence_id":"1"}`,
		"null":             `null`,
		"empty body":       ``,
		"broken array":     `[{"phone_number":"13800138000",`,
		"no phone_number":  `[{"content":"a","sequence_id":"1"}]`,
		"no sequence_id":   `[{"phone_number":"13800138000","content":"a"}]`,
		"item not object":  `["x"]`,
		"invalid UTF-8":    "[{\"phone_number\":\"13800138000\",\"content\":\"\xff\xfe\",\"sequence_id\":\"1\"}]",
		"sequence_id list": `[{"phone_number":"13800138000","content":"a","sequence_id":[1]}]`,
	} {
		_, err := a.Inbound(httptest.NewRequest(http.MethodPost, "/", nil), []byte(body))
		requestError(t, name, err, http.StatusBadRequest)
	}
}

func TestAliyunReports(t *testing.T) {
	a := newTestAliyun(t, "http://127.0.0.1:1", time.Second)
	body := `[{"phone_number":"1381111****","send_time":"2017-01-01 00:00:00","report_time":"2017-01-01 00:00:00","success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","sms_size":"1","biz_id":"12345","out_id":"67890"}]`
	got, err := a.Reports(httptest.NewRequest(http.MethodPost, "/", nil), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != (Report{ID: "12345", Status: StatusDelivered, Code: "DELIVERED"}) {
		t.Errorf("documented example: %+v", got)
	}

	body = `[{"phone_number":"13800138000","success":false,"err_code":"MK:0001","err_msg":"失败","biz_id":"900619746936498440"},` +
		`{"phone_number":"13900139000","success":true,"err_code":"DELIVERED","biz_id":"900619746936498441"}]`
	got, err = a.Reports(httptest.NewRequest(http.MethodPost, "/", nil), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := []Report{{ID: "900619746936498440", Status: StatusFailed, Code: "MK:0001"},
		{ID: "900619746936498441", Status: StatusDelivered, Code: "DELIVERED"}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("two reports: %+v, want %+v", got, want)
	}

	if got, err := a.Reports(httptest.NewRequest(http.MethodPost, "/", nil), []byte(`[]`)); err != nil || len(got) != 0 {
		t.Errorf("empty array: %v, %v", got, err)
	}
	for name, body := range map[string]string{
		"not JSON":      `<xml/>`,
		"an object":     `{"biz_id":"1","success":true}`,
		"no biz_id":     `[{"phone_number":"13800138000","success":true}]`,
		"invalid UTF-8": "[{\"biz_id\":\"1\",\"success\":true,\"err_msg\":\"\xc3\"}]",
	} {
		_, err := a.Reports(httptest.NewRequest(http.MethodPost, "/", nil), []byte(body))
		requestError(t, name, err, http.StatusBadRequest)
	}
}

func TestAliyunAck(t *testing.T) {
	ack := newTestAliyun(t, "http://127.0.0.1:1", time.Second).Ack()
	if ack.ContentType != "application/json" || string(ack.Body) != `{"code":0,"msg":"接收成功"}` {
		t.Errorf("Ack = %q %q", ack.ContentType, ack.Body)
	}
}

// checkAliyunRequest checks a SendSms call: a signed form POST with every
// required parameter, for number and text.
func checkAliyunRequest(number, text string) func(r *http.Request, body []byte) []string {
	return func(r *http.Request, body []byte) []string {
		var problems []string
		if r.Method != http.MethodPost || r.URL.Path != "/" {
			problems = append(problems, "want POST /, got "+r.Method+" "+r.URL.Path)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			problems = append(problems, "Content-Type "+ct)
		}
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		if err := r.ParseForm(); err != nil {
			return append(problems, "form: "+err.Error())
		}
		params := map[string]string{}
		for k, v := range r.PostForm {
			if len(v) != 1 {
				problems = append(problems, "parameter "+k+" given more than once")
			}
			params[k] = v[0]
		}
		if want := aliyunSignature(aliyunSecret, "POST", params); params["Signature"] != want {
			problems = append(problems, "Signature "+params["Signature"]+", recomputed "+want)
		}
		for k, v := range map[string]string{
			"Action": "SendSms", "Version": "2017-05-25", "Format": "JSON", "RegionId": "cn-hangzhou",
			"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": "nonce-0001",
			"Timestamp": "2026-03-04T05:06:07Z", "AccessKeyId": aliyunKeyID, "PhoneNumbers": number,
			"SignName": "热线", "TemplateCode": "SMS_123456",
		} {
			if params[k] != v {
				problems = append(problems, "parameter "+k+" = "+params[k]+", want "+v)
			}
		}
		var tp map[string]string
		if err := json.Unmarshal([]byte(params["TemplateParam"]), &tp); err != nil || len(tp) != 1 || tp["content"] != text {
			problems = append(problems, "TemplateParam "+params["TemplateParam"])
		}
		if _, ok := params["AccessKeySecret"]; ok {
			problems = append(problems, "the secret is sent")
		}
		return problems
	}
}

func TestAliyunSend(t *testing.T) {
	const text = "您的工单 <A&B> 已受理，请勿回复 \"谢谢\""
	api := newFakeAPI(t, checkAliyunRequest("13800138000", text))
	timeout := 300 * time.Millisecond
	a := newTestAliyun(t, api.srv.URL, timeout)
	runSendCases(t, a, api, "+8613800138000", text, timeout, []string{aliyunSecret}, []sendCase{
		{name: "success", id: "9006197469364984400",
			reply: replyJSON(200, `{"Code":"OK","Message":"OK","BizId":"9006197469364984400","RequestId":"F655A8D5-B967-440B-8683-DAD6FF8DE990"}`)},
		{name: "flow control", retryable: true,
			reply: replyJSON(200, `{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控Permits:1","RequestId":"1"}`)},
		{name: "throttling", retryable: true,
			reply: replyJSON(400, `{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"1"}`)},
		{name: "nonce used", retryable: true,
			reply: replyJSON(400, `{"Code":"SignatureNonceUsed","Message":"Specified signature nonce was used already.","RequestId":"1"}`)},
		{name: "platform error", retryable: true,
			reply: replyJSON(200, `{"Code":"isp.SYSTEM_ERROR","Message":"系统错误","RequestId":"1"}`)},
		{name: "illegal number", retryable: false,
			reply: replyJSON(200, `{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"非法手机号","RequestId":"1"}`)},
		{name: "balance", retryable: false,
			reply: replyJSON(200, `{"Code":"isv.AMOUNT_NOT_ENOUGH","Message":"账户余额不足","RequestId":"1"}`)},
		{name: "template", retryable: false,
			reply: replyJSON(200, `{"Code":"isv.TEMPLATE_MISSING_PARAMETERS","Message":"模板缺少变量","RequestId":"1"}`)},
		{name: "bad signature, message quoting the request", retryable: false,
			reply: replyJSON(400, jsonOf(map[string]string{"Code": "SignatureDoesNotMatch", "RequestId": "1",
				"Message": "Specified signature is not matched with our calculation. server string to sign is:" +
					"POST&%2F&PhoneNumbers%3D13800138000%26TemplateParam%3D" + text + " key " + aliyunSecret}))},
		{name: "bad key", retryable: false,
			reply: replyJSON(404, `{"Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found.","RequestId":"1"}`)},
		{name: "unknown code", retryable: false,
			reply: replyJSON(200, `{"Code":"isv.SOMETHING_NEW","RequestId":"1"}`)},
		{name: "OK without BizId", retryable: false, reply: replyJSON(200, `{"Code":"OK"}`)},
		{name: "HTTP 500", retryable: true, reply: replyJSON(500, `oops`)},
		{name: "HTTP 503 with JSON", retryable: true,
			reply: replyJSON(503, `{"Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}`)},
		{name: "slow answer", retryable: true, reply: replySlowly},
	})
}

func TestAliyunSendInternationalAndBadNumber(t *testing.T) {
	api := newFakeAPI(t, checkAliyunRequest("85291234567", "hi"))
	api.answer(replyJSON(200, `{"Code":"OK","BizId":"1"}`))
	a := newTestAliyun(t, api.srv.URL, time.Second)
	if id, err := a.Send(context.Background(), "+85291234567", "hi"); err != nil || id != "1" {
		t.Errorf("international: %q, %v", id, err)
	}
	calls := api.callCount()
	_, err := a.Send(context.Background(), "not a number 13800138000", "hi")
	if err == nil || channels.Retryable(err) {
		t.Errorf("bad number: %v, want a permanent error", err)
	}
	if err != nil {
		noSecretsIn(t, "bad number", err.Error(), []string{"13800138000"})
	}
	if api.callCount() != calls {
		t.Errorf("a bad number reached the API")
	}
}

func TestAliyunSendTransportError(t *testing.T) {
	api := newFakeAPI(t, func(*http.Request, []byte) []string { return nil })
	a := newTestAliyun(t, api.srv.URL, time.Second)
	api.srv.Close()
	_, err := a.Send(context.Background(), "+8613800138000", "秘密的内容")
	if !channels.Retryable(err) {
		t.Fatalf("closed server: %v, want retryable", err)
	}
	noSecretsIn(t, "closed server", err.Error(), []string{"秘密的内容", aliyunSecret, "13800138000"})
}

func TestAliyunRetryableCodes(t *testing.T) {
	for code, want := range map[string]bool{
		"isv.BUSINESS_LIMIT_CONTROL": true, "Throttling": true, "Throttling.User": true, "Throttling.Api": true,
		"isp.SYSTEM_ERROR": true, "SignatureNonceUsed": true, "ServiceUnavailable": true,
		"isp.RAM_PERMISSION_DENY": false, "isv.MOBILE_NUMBER_ILLEGAL": false, "isv.AMOUNT_NOT_ENOUGH": false,
		"isv.TEMPLATE_MISSING_PARAMETERS": false, "isv.SMS_SIGNATURE_ILLEGAL": false,
		"InvalidAccessKeyId.NotFound": false, "SignatureDoesNotMatch": false, "": false, "OK": false,
	} {
		if got := aliyunRetryable(code); got != want {
			t.Errorf("aliyunRetryable(%q) = %v, want %v", code, got, want)
		}
	}
}

// A provider's code is shown in errors, but a run of digits as long as a
// phone number is not.
func TestSafeCode(t *testing.T) {
	for in, want := range map[string]string{
		"isv.BUSINESS_LIMIT_CONTROL": "isv.BUSINESS_LIMIT_CONTROL",
		"MK:0001":                    "MK0001",
		"":                           "none",
		"13800138000":                "withheld",
		"bad 13800138000 number":     "withheld",
		"123456":                     "123456",
		"+86-138-0013-8000":          "withheld",
	} {
		if got := safeCode(in); got != want {
			t.Errorf("safeCode(%q) = %q, want %q", in, got, want)
		}
	}
}
