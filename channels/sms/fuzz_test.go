package sms

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The fuzz targets below send one callback each through the real router
// and channel, to a fresh in-memory store and receiver, signed where the
// provider signs, and check what came out: the answer is the provider's
// acknowledgement or a 4xx with a reason, never a 5xx, and every message
// that reached the dialog comes from an E.164 number and holds UTF-8 text
// without NULs.

// fuzzNow is the clock of the fuzz targets.
var fuzzNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// e164 is the shape NormalizePhone returns.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// quietProvider is a provider whose sends succeed at once without the
// network, so keyword replies cost nothing.
type quietProvider struct{ Provider }

func (quietProvider) Send(context.Context, string, string) (string, error) { return "sent-1", nil }

// fuzzRig is one channel named fz with a fresh store and receiver.
type fuzzRig struct {
	router *Router
	recv   *fakeReceiver
	store  *memStore
	ack    Response
}

func newFuzzRig(t *testing.T, p Provider) *fuzzRig {
	r := &fuzzRig{recv: &fakeReceiver{}, store: newMemStore(), ack: p.Ack()}
	ch, err := New(Config{Name: "fz", Provider: quietProvider{p}, Receiver: r.recv, Store: r.store,
		MaxBody: 16 << 10, Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return fuzzNow }})
	if err != nil {
		t.Fatal(err)
	}
	r.router = NewRouter(ch)
	return r
}

// serve sends one callback and checks the answer and what reached the
// dialog.
func (r *fuzzRig) serve(t *testing.T, req *http.Request) {
	t.Helper()
	stop := time.AfterFunc(5*time.Second, func() { panic("an SMS callback took over 5s") })
	defer stop.Stop()
	w := httptest.NewRecorder()
	r.router.ServeHTTP(w, req)
	body := w.Body.String()
	switch {
	case w.Code == http.StatusOK:
		if body != string(r.ack.Body) || w.Header().Get("Content-Type") != r.ack.ContentType {
			t.Fatalf("200 answered %q (%s), not the provider's acknowledgement", body, w.Header().Get("Content-Type"))
		}
	case w.Code >= 400 && w.Code < 500:
		if !strings.HasPrefix(body, "callback refused: ") || len(strings.TrimSpace(body)) <= len("callback refused:") {
			t.Fatalf("%d answered without a reason: %q", w.Code, body)
		}
	default:
		t.Fatalf("answered %d %q", w.Code, body)
	}
	for _, in := range r.recv.inbound() {
		switch {
		case in.Channel != "fz":
			t.Fatalf("inbound on channel %q", in.Channel)
		case !e164.MatchString(in.Address):
			t.Fatalf("inbound from %q, not an E.164 number", in.Address)
		case in.ProviderID == "":
			t.Fatalf("inbound without a provider id: %+v", in)
		case !utf8.ValidString(in.Text) || strings.ContainsRune(in.Text, 0):
			t.Fatalf("inbound text %q is not UTF-8 without NULs", in.Text)
		}
	}
}

// kindPath is the callback path of an inbound (even) or status (odd)
// callback.
func kindPath(kind uint8) string {
	if kind%2 == 0 {
		return PathPrefix + "fz/inbound"
	}
	return PathPrefix + "fz/status"
}

// FuzzTwilio posts form-encoded Twilio callbacks signed over the body's
// parameters as the form parser reads them.
func FuzzTwilio(f *testing.F) {
	f.Add(uint8(0), inboundForm("SM0001", "+8613800138000", "你好").Encode(), "")
	f.Add(uint8(0), inboundForm("SM0002", "+8613800138000", "STOP").Encode(), "")
	f.Add(uint8(0), inboundForm("SM0003", "13800138000", "1").Encode(), "?x=1")
	f.Add(uint8(1), url.Values{"MessageSid": {"SM0001"}, "MessageStatus": {"delivered"},
		"AccountSid": {"ACtest"}, "ErrorCode": {"30003"}}.Encode(), "")
	f.Add(uint8(0), "AccountSid=ACtest&MessageSid=SM1&From=%2B86138%00&Body=%FF%FE%00", "")
	f.Add(uint8(0), "AccountSid=ACtest&MessageSid=SM1&From=%2B8613800138000&Body=a;b", "")
	f.Add(uint8(0), "AccountSid=ACtest&MessageSid=SM1&From=%2B8613800138000&Body=%FF%00x", "")
	f.Add(uint8(0), "AccountSid=ACtest&MessageSid=SM1&From="+strings.Repeat("9", 400)+"&Body=x", "")
	f.Add(uint8(0), "AccountSid=ACtest&AccountSid=ACother&MessageSid=SM1&From=%2B8613800138000", "")
	f.Add(uint8(0), strings.Repeat("a=b&", 5000), "")
	f.Fuzz(func(t *testing.T, kind uint8, body, query string) {
		const public = "https://hotline.example.com"
		p, err := NewTwilio(TwilioConfig{AccountSID: "ACtest", AuthToken: twilioToken, From: "+15005550006",
			PublicURL: public, APIURL: "http://127.0.0.1:9"})
		if err != nil {
			t.Fatal(err)
		}
		target := kindPath(kind) + query
		req, err := http.NewRequest(http.MethodPost, "http://hotline.example.com"+target, strings.NewReader(body))
		if err != nil || req.URL.Path != kindPath(kind) {
			t.Skip("not a request a client could send to this path")
		}
		req.RemoteAddr = "192.0.2.1:1234"
		params, _ := url.ParseQuery(body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", TwilioSignature(twilioToken, public+req.URL.RequestURI(), params))
		newFuzzRig(t, p).serve(t, req)
	})
}

// FuzzAliyun posts Alibaba Cloud SmsUp and SmsReport pushes: JSON arrays,
// unsigned.
func FuzzAliyun(f *testing.F) {
	for _, s := range []string{
		`[{"phone_number":"13800138000","content":"TD","send_time":"20170901000000","dest_code":"1234","sequence_id":1234567890,"sign_name":"热线"}]`,
		`[{"phone_number":"1381111****","content":"内容","send_time":"2017-09-01 00:00:00","dest_code":"1234","sequence_id":"1234567890"}]`,
		`[{"phone_number":"13800138000","content":"a","sequence_id":"1"},{"phone_number":"13900139000","content":"b","sequence_id":2}]`,
		`[{"phone_number":"13800138000","content":"\u0000\ud800","sequence_id":1e999}]`,
		`[{"phone_number":"+86 138 0013 8000","content":"1","sequence_id":-0}]`,
		`[{"phone_number":"13800138000","content":"a","sequence_id":"1","phone_number":"0"}]`,
		`[` + strings.Repeat(`[`, 10000) + strings.Repeat(`]`, 10000) + `]`,
		"\xef\xbb\xbf[]",
	} {
		f.Add(uint8(0), s)
	}
	for _, s := range []string{
		`[{"phone_number":"1381111****","send_time":"2017-01-01 00:00:00","report_time":"2017-01-01 00:00:00","success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","sms_size":"1","biz_id":"12345","out_id":"67890"}]`,
		`[{"phone_number":"13800138000","success":false,"err_code":"MK:0001","err_msg":"失败","biz_id":"900619746936498440"}]`,
		`[{"biz_id":123456789012345678901234567890,"success":"true"}]`,
	} {
		f.Add(uint8(1), s)
	}
	f.Fuzz(func(t *testing.T, kind uint8, body string) {
		p, err := NewAliyun(AliyunConfig{AccessKeyID: "id", AccessKeySecret: "secret", SignName: "热线",
			TemplateCode: "SMS_1", APIURL: "http://127.0.0.1:9"})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, kindPath(kind), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		newFuzzRig(t, p).serve(t, req)
	})
}

// FuzzTencent posts Tencent Cloud reply and report callbacks: a JSON
// object or an array of them, unsigned.
func FuzzTencent(f *testing.F) {
	for _, s := range []string{
		`{"extend":"扩展码","mobile":"13xxxxxxxxx","nationcode":"86","sign":"短信签名","text":"用户回复的内容","time":1457336869}`,
		`[{"mobile":"13800138000","text":"TD","time":1700000000},{"mobile":"91234567","nationcode":"852","text":"hi","time":"1700000001"}]`,
		`{"mobile":"13800138000","nationcode":"+86","text":"一","time":1700000000}`,
		`{"mobile":"13800138000","nationcode":"86","text":"\u0000","time":-9223372036854775808}`,
		`{"mobile":13800138000,"nationcode":1e3,"text":"x","time":9223372036854775807}`,
		`{"mobile":"+8613800138000","nationcode":"","text":"x","time":"1"}`,
		`[` + strings.Repeat(`{"mobile":"13800138000","text":"x","time":1},`, 200) + `{}]`,
	} {
		f.Add(uint8(0), s)
	}
	for _, s := range []string{
		`[{"user_receive_time":"2015-10-17 08:03:04","nationcode":"86","mobile":"13xxxxxxxxx","report_status":"SUCCESS","errmsg":"DELIVRD","description":"用户短信送达成功","sid":"xxxxxxx"}]`,
		`{"mobile":"13800138000","report_status":"fail","errmsg":"MK:0004","sid":12}`,
	} {
		f.Add(uint8(1), s)
	}
	f.Fuzz(func(t *testing.T, kind uint8, body string) {
		p, err := NewTencent(TencentConfig{SecretID: "id", SecretKey: "key", SdkAppID: "1400000000",
			TemplateID: "1", APIURL: "http://127.0.0.1:9"})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, kindPath(kind), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		newFuzzRig(t, p).serve(t, req)
	})
}

// FuzzWebhook posts the generic webhook's callbacks, signed now with the
// shared secret over the body as sent.
func FuzzWebhook(f *testing.F) {
	f.Add(uint8(0), webhookDocInbound, "application/json")
	f.Add(uint8(0), `[{"id":"a","from":"+8613800138000","text":"一"},{"id":"b","from":"13900139000","text":"二","at":"2026-01-01T00:00:01Z"}]`, "application/json; charset=utf-8")
	f.Add(uint8(0), `{"id":"a","from":"+8613800138000","text":"\u0000\ud800\udc00","at":"9999-12-31T23:59:60Z"}`, "application/json")
	f.Add(uint8(0), "{\"id\":\"a\",\"from\":\"+8613800138000\",\"text\":\"\xff\"}", "application/json")
	f.Add(uint8(0), `{"id":"a","from":"+8613800138000","text":"退订","ID":"b"}`, "application/json")
	f.Add(uint8(1), `{"id":"gw-1001","status":"delivered","code":"DELIVRD"}`, "application/json")
	f.Add(uint8(1), `[{"id":"x","status":"sent"},{"id":"x","status":"failed","code":"`+strings.Repeat("9", 1000)+`"}]`, "application/json")
	f.Add(uint8(1), `{"id":"x","status":"delivered"}`, "text/plain")
	f.Fuzz(func(t *testing.T, kind uint8, body, contentType string) {
		p, err := NewWebhook(WebhookConfig{Secret: []byte(webhookDocSecret), SendURL: "http://127.0.0.1:9/send",
			Now: func() time.Time { return fuzzNow }})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, kindPath(kind), strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		ts := strconv.FormatInt(fuzzNow.Unix(), 10)
		req.Header.Set(webhookTimestampHeader, ts)
		req.Header.Set(webhookSignatureHeader, webhookSignature([]byte(webhookDocSecret), ts, []byte(body)))
		newFuzzRig(t, p).serve(t, req)
	})
}

// Text a store would refuse (a NUL, bytes that are not UTF-8) is mended
// before it reaches the dialog, so the callback is acknowledged instead
// of failing in the store and coming again for ever.
func TestInbound_TextIsMendedForTheStore(t *testing.T) {
	a, err := NewAliyun(AliyunConfig{AccessKeyID: "id", AccessKeySecret: "s", SignName: "n", TemplateCode: "c"})
	if err != nil {
		t.Fatal(err)
	}
	r := newFuzzRig(t, a)
	req := httptest.NewRequest(http.MethodPost, PathPrefix+"fz/inbound",
		strings.NewReader(`[{"phone_number":"13800138000","content":"a\u0000b","sequence_id":"1"}]`))
	r.serve(t, req)
	if in := r.recv.inbound(); len(in) != 1 || in[0].Text != "ab" {
		t.Fatalf("inbound = %+v", in)
	}

	tw, err := NewTwilio(TwilioConfig{AccountSID: "ACtest", AuthToken: twilioToken, From: "+15005550006",
		PublicURL: "https://h.example"})
	if err != nil {
		t.Fatal(err)
	}
	r = newFuzzRig(t, tw)
	form := inboundForm("SM1", "+8613800138000", "\xffok\x00")
	req = httptest.NewRequest(http.MethodPost, PathPrefix+"fz/inbound", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", TwilioSignature(twilioToken, "https://h.example"+PathPrefix+"fz/inbound", form))
	r.serve(t, req)
	if in := r.recv.inbound(); len(in) != 1 || in[0].Text != "\uFFFDok" {
		t.Fatalf("inbound = %+v", in)
	}
}
