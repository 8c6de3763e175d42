package sms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline/channels"
)

// fakeTwilio is Twilio's Messages API: it checks Basic auth, records the
// sends and answers from a script (success when the script runs out).
type fakeTwilio struct {
	mu     sync.Mutex
	srv    *httptest.Server
	sent   []url.Values
	script []func(w http.ResponseWriter)
	n      int
}

func newFakeTwilio(t *testing.T) *fakeTwilio {
	f := &fakeTwilio{}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeTwilio) serve(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != "ACtest" || pass != twilioToken || r.URL.Path != "/2010-04-01/Accounts/ACtest/Messages.json" {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"code":20003,"message":"Authenticate","status":401}`))
		return
	}
	_ = r.ParseForm()
	f.mu.Lock()
	var step func(http.ResponseWriter)
	if len(f.script) > 0 {
		step, f.script = f.script[0], f.script[1:]
	}
	if step == nil {
		f.n++
		f.sent = append(f.sent, r.PostForm)
	}
	n := f.n
	f.mu.Unlock()
	if step != nil {
		step(w)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_, _ = fmt.Fprintf(w, `{"sid":"SM%032d","status":"queued","num_segments":"1"}`, n)
}

func (f *fakeTwilio) then(steps ...func(http.ResponseWriter)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script = append(f.script, steps...)
}

func (f *fakeTwilio) sends() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.sent...)
}

func answer(status int, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response/>`

// TestTwilioInbound walks inbound cases through the real router: what is
// answered and what reaches the dialog.
func TestTwilioInbound(t *testing.T) {
	type want struct {
		status int
		body   string
		texts  []string // texts that reach the dialog, in order
	}
	cases := []struct {
		name string
		send func(r *rig) (int, string)
		want want
	}{
		{"a message reaches the dialog", func(r *rig) (int, string) {
			h, b := r.twilioForm("/sms/tw/inbound", inboundForm("SM1", "+8613800138000", "宽带断了"))
			return r.post("/sms/tw/inbound", h, b)
		}, want{200, emptyTwiML, []string{"宽带断了"}}},
		{"Twilio's retry is acknowledged the same and handled once", func(r *rig) (int, string) {
			h, b := r.twilioForm("/sms/tw/inbound", inboundForm("SM2", "+8613800138000", "你好"))
			r.post("/sms/tw/inbound", h, b)
			return r.post("/sms/tw/inbound", h, b)
		}, want{200, emptyTwiML, []string{"你好"}}},
		{"the signature over the URL with its default port", func(r *rig) (int, string) {
			form := inboundForm("SM3", "+8613800138000", "hi")
			h, b := r.twilioForm("/sms/tw/inbound", form)
			u, _ := url.Parse(r.public)
			h.Set("X-Twilio-Signature", TwilioSignature(twilioToken, "http://"+u.Hostname()+":"+u.Port()+"/sms/tw/inbound", form))
			return r.post("/sms/tw/inbound", h, b)
		}, want{200, emptyTwiML, []string{"hi"}}},
		{"a wrong signature", func(r *rig) (int, string) {
			h, b := r.twilioForm("/sms/tw/inbound", inboundForm("SM4", "+8613800138000", "hi"))
			h.Set("X-Twilio-Signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
			return r.post("/sms/tw/inbound", h, b)
		}, want{403, "callback refused: invalid X-Twilio-Signature\n", nil}},
		{"no signature", func(r *rig) (int, string) {
			h, b := r.twilioForm("/sms/tw/inbound", inboundForm("SM5", "+8613800138000", "hi"))
			h.Del("X-Twilio-Signature")
			return r.post("/sms/tw/inbound", h, b)
		}, want{403, "callback refused: missing X-Twilio-Signature\n", nil}},
		{"a parameter changed after signing", func(r *rig) (int, string) {
			h, _ := r.twilioForm("/sms/tw/inbound", inboundForm("SM6", "+8613800138000", "hi"))
			return r.post("/sms/tw/inbound", h, inboundForm("SM6", "+8613800138000", "bye").Encode())
		}, want{403, "callback refused: invalid X-Twilio-Signature\n", nil}},
		{"another account", func(r *rig) (int, string) {
			f := inboundForm("SM7", "+8613800138000", "hi")
			f.Set("AccountSid", "ACother")
			h, b := r.twilioForm("/sms/tw/inbound", f)
			return r.post("/sms/tw/inbound", h, b)
		}, want{403, "callback refused: callback for another account\n", nil}},
		{"no MessageSid", func(r *rig) (int, string) {
			f := inboundForm("", "+8613800138000", "hi")
			h, b := r.twilioForm("/sms/tw/inbound", f)
			return r.post("/sms/tw/inbound", h, b)
		}, want{400, "callback refused: MessageSid and From are required\n", nil}},
		{"JSON instead of a form", func(r *rig) (int, string) {
			h := http.Header{"Content-Type": {"application/json"}}
			return r.post("/sms/tw/inbound", h, `{"Body":"hi"}`)
		}, want{415, "callback refused: want a form-encoded body\n", nil}},
		{"a body over the limit", func(r *rig) (int, string) {
			h, _ := r.twilioForm("/sms/tw/inbound", inboundForm("SM8", "+8613800138000", "hi"))
			return r.post("/sms/tw/inbound", h, "Body="+strings.Repeat("x", 70<<10))
		}, want{413, "callback refused: body too large\n", nil}},
		{"a broken form encoding", func(r *rig) (int, string) {
			h, _ := r.twilioForm("/sms/tw/inbound", inboundForm("SM9", "+8613800138000", "hi"))
			return r.post("/sms/tw/inbound", h, "Body=%zz")
		}, want{400, "callback refused: body is not a valid form\n", nil}},
		{"GET", func(r *rig) (int, string) {
			resp, err := http.Get(r.srv.URL + "/sms/tw/inbound")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode, "callback refused: callbacks are POST\n"
		}, want{405, "callback refused: callbacks are POST\n", nil}},
		{"an unknown channel", func(r *rig) (int, string) {
			return r.post("/sms/nope/inbound", nil, "")
		}, want{404, "no such SMS callback; use /sms/<channel>/inbound or /sms/<channel>/status\n", nil}},
		{"a number that cannot be an address is acknowledged and dropped", func(r *rig) (int, string) {
			h, b := r.twilioForm("/sms/tw/inbound", inboundForm("SM10", "Twilio", "hi"))
			return r.post("/sms/tw/inbound", h, b)
		}, want{200, emptyTwiML, nil}},
		{"CX asks for the sender's tickets", func(r *rig) (int, string) {
			h, b := r.twilioForm("/sms/tw/inbound", inboundForm("SM11", "+8613800138000", " cx "))
			return r.post("/sms/tw/inbound", h, b)
		}, want{200, emptyTwiML, []string{" cx "}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := newFakeTwilio(t)
			r := newRig(t, twilioProvider(t, api.srv.URL), nil)
			status, body := tc.send(r)
			if status != tc.want.status || body != tc.want.body {
				t.Fatalf("got %d %q, want %d %q", status, body, tc.want.status, tc.want.body)
			}
			got := r.recv.inbound()
			if len(got) != len(tc.want.texts) {
				t.Fatalf("dialog got %d messages, want %d", len(got), len(tc.want.texts))
			}
			for i, in := range got {
				if in.Text != tc.want.texts[i] || in.Channel != "tw" || in.Address != "+8613800138000" || in.ProviderID == "" {
					t.Errorf("message %d: %+v", i, in)
				}
			}
			if strings.Contains(r.logs.String(), "13800138000") || strings.Contains(r.logs.String(), "宽带") {
				t.Errorf("a number or message text reached the log:\n%s", r.logs.String())
			}
		})
	}
}

func TestTwilioInbound_StatusQueryPayload(t *testing.T) {
	r := newRig(t, twilioProvider(t, newFakeTwilio(t).srv.URL), nil)
	for i, text := range []string{"CX", "查询", "ｃｘ", "查询工单？"} {
		h, b := r.twilioForm("/sms/tw/inbound", inboundForm(fmt.Sprint("SQ", i), "13800138000", text))
		if st, _ := r.post("/sms/tw/inbound", h, b); st != 200 {
			t.Fatalf("%q: %d", text, st)
		}
	}
	h, b := r.twilioForm("/sms/tw/inbound", inboundForm("SQx", "13800138000", "查询话费"))
	r.post("/sms/tw/inbound", h, b)
	got := r.recv.inbound()
	for i, in := range got[:4] {
		if in.Payload != payloadTickets {
			t.Errorf("%d %q: payload %q", i, in.Text, in.Payload)
		}
	}
	if got[4].Payload != "" {
		t.Errorf("查询话费 is a question, not a status query: %q", got[4].Payload)
	}
}

func TestTwilioInbound_StorageErrorIsNotADuplicate(t *testing.T) {
	r := newRig(t, twilioProvider(t, newFakeTwilio(t).srv.URL), nil)
	r.recv.fail = errDisk
	h, b := r.twilioForm("/sms/tw/inbound", inboundForm("SM1", "+8613800138000", "hi"))
	if st, _ := r.post("/sms/tw/inbound", h, b); st != http.StatusServiceUnavailable {
		t.Fatalf("a storage error must make Twilio retry, got %d", st)
	}
	r.recv.fail = nil
	if st, body := r.post("/sms/tw/inbound", h, b); st != 200 || body != emptyTwiML {
		t.Fatalf("retry: %d %q", st, body)
	}
	if n := len(r.recv.inbound()); n != 1 {
		t.Fatalf("the retry must be handled once, got %d", n)
	}
}

func TestTwilioSend(t *testing.T) {
	api := newFakeTwilio(t)
	r := newRig(t, twilioProvider(t, api.srv.URL), nil)
	m := channels.Outbound{ID: "msg1", Channel: "tw", Address: "+8613800138000", From: "bot",
		Text: "请选择故障类型", QuickReplies: []channels.QuickReply{{Label: "宽带", Payload: "p:1"}, {Label: "手机", Payload: "p:2"}}}
	if err := r.ch.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	sent := api.sends()
	if len(sent) != 1 || sent[0].Get("To") != "+8613800138000" || sent[0].Get("From") != "+15005550006" ||
		sent[0].Get("Body") != "请选择故障类型\n回复1 宽带，2 手机" {
		t.Fatalf("sent %v", sent)
	}
	r.ch.Flush()
	r.store.mu.Lock()
	recorded := r.store.messages[fmt.Sprintf("SM%032d", 1)]
	r.store.mu.Unlock()
	if recorded != "msg1" {
		t.Fatalf("provider id not recorded: %v", r.store.messages)
	}

	// The subscriber answers 2: the second quick reply's payload.
	h, b := r.twilioForm("/sms/tw/inbound", inboundForm("SMa", "+8613800138000", "2"))
	r.post("/sms/tw/inbound", h, b)
	if in := r.recv.inbound(); len(in) != 1 || in[0].Payload != "p:2" || in[0].Text != "手机" {
		t.Fatalf("answer 2 became %+v", in)
	}
}

func TestTwilioSend_Failures(t *testing.T) {
	cases := []struct {
		name      string
		step      func(http.ResponseWriter)
		retryable bool
	}{
		{"throttled", answer(429, `{"code":20429,"message":"Too Many Requests","status":429}`), true},
		{"server error", answer(500, `{"code":20500,"message":"Internal Server Error","status":500}`), true},
		{"invalid number", answer(400, `{"code":21211,"message":"Invalid 'To' Phone Number","status":400}`), false},
		{"recipient replied STOP", answer(400, `{"code":21610,"message":"Attempt to send to unsubscribed recipient","status":400}`), false},
		{"slow", func(w http.ResponseWriter) { time.Sleep(3 * time.Second); answer(201, `{"sid":"SMslow"}`)(w) }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := newFakeTwilio(t)
			api.then(tc.step)
			r := newRig(t, twilioProvider(t, api.srv.URL), nil)
			start := time.Now()
			err := r.ch.Send(context.Background(), channels.Outbound{ID: "m", Address: "+8613800138000", From: "agent", Text: "您好"})
			if err == nil || channels.Retryable(err) != tc.retryable {
				t.Fatalf("err %v, retryable %v, want retryable %v", err, channels.Retryable(err), tc.retryable)
			}
			if d := time.Since(start); d > 2800*time.Millisecond {
				t.Fatalf("a slow API held the send %v, past the timeout", d)
			}
			if strings.Contains(err.Error(), twilioToken) || strings.Contains(err.Error(), "您好") {
				t.Fatalf("error reveals the token or the text: %v", err)
			}
		})
	}
}

func TestSend_OptedOutAndTooLong(t *testing.T) {
	api := newFakeTwilio(t)
	r := newRig(t, twilioProvider(t, api.srv.URL), func(c *Config) { c.MaxParts = 1; c.Signature = "客服" })
	r.store.optedOut["+8613900139000"] = true
	err := r.ch.Send(context.Background(), channels.Outbound{ID: "a", Address: "+8613900139000", From: "bot", Text: "hi"})
	if err == nil || channels.Retryable(err) {
		t.Fatalf("an opted-out number: %v", err)
	}
	long := strings.Repeat("长", 100)
	err = r.ch.Send(context.Background(), channels.Outbound{ID: "b", Address: "+8613800138000", From: "agent", Text: long})
	if err == nil || channels.Retryable(err) {
		t.Fatalf("an agent's message over max_parts must be refused: %v", err)
	}
	if err := r.ch.Send(context.Background(), channels.Outbound{ID: "c", Address: "+8613800138000", From: "bot", Text: long}); err != nil {
		t.Fatal(err)
	}
	sent := api.sends()
	if len(sent) != 1 {
		t.Fatalf("sent %d, want only the shortened bot reply", len(sent))
	}
	if seg := Count(sent[0].Get("Body"), "客服"); seg.Parts != 1 {
		t.Fatalf("the bot reply was not shortened to one part: %+v", seg)
	}
}

func TestSend_BreakerOpensAndRecovers(t *testing.T) {
	api := newFakeTwilio(t)
	for range breakerThreshold {
		api.then(answer(503, `{"code":20503,"status":503}`))
	}
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	r := newRig(t, twilioProvider(t, api.srv.URL), func(c *Config) { c.Now = clock })
	m := channels.Outbound{ID: "m", Address: "+8613800138000", From: "agent", Text: "x"}
	for range breakerThreshold {
		if err := r.ch.Send(context.Background(), m); !channels.Retryable(err) {
			t.Fatalf("want a retryable failure, got %v", err)
		}
	}
	if err := r.ch.Send(context.Background(), m); err == nil || !strings.Contains(err.Error(), errCircuitOpen.Error()) {
		t.Fatalf("the breaker should be open: %v", err)
	}
	if n := len(api.sends()); n != 0 {
		t.Fatalf("the open breaker let %d sends through", n)
	}
	mu.Lock()
	now = now.Add(breakerCooldown + time.Second)
	mu.Unlock()
	if err := r.ch.Send(context.Background(), m); err != nil {
		t.Fatalf("after the cool-down a send goes through: %v", err)
	}
}

func TestSend_RateLimit(t *testing.T) {
	api := newFakeTwilio(t)
	r := newRig(t, twilioProvider(t, api.srv.URL), func(c *Config) { c.Rate = 20; c.Burst = 1 })
	start := time.Now()
	for i := range 5 {
		if err := r.ch.Send(context.Background(), channels.Outbound{ID: fmt.Sprint(i), Address: "+8613800138000", From: "bot", Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	// Five sends at 20 a second with no burst take at least 4 × 50 ms.
	if d := time.Since(start); d < 190*time.Millisecond {
		t.Fatalf("five sends took %v; the limit was not applied", d)
	}
}

func TestTwilioStatus_OnlyForward(t *testing.T) {
	api := newFakeTwilio(t)
	r := newRig(t, twilioProvider(t, api.srv.URL), nil)
	if err := r.ch.Send(context.Background(), channels.Outbound{ID: "m1", Address: "+8613800138000", From: "bot", Text: "x"}); err != nil {
		t.Fatal(err)
	}
	sid := fmt.Sprintf("SM%032d", 1)
	for _, st := range []string{"delivered", "sent", "queued", "failed"} {
		form := url.Values{"MessageSid": {sid}, "MessageStatus": {st}, "AccountSid": {"ACtest"}, "ApiVersion": {"2010-04-01"}}
		h, b := r.twilioForm("/sms/tw/status", form)
		if code, body := r.post("/sms/tw/status", h, b); code != 200 || body != emptyTwiML {
			t.Fatalf("%s: %d %q", st, code, body)
		}
	}
	if got := r.store.status(sid); got != StatusDelivered {
		t.Fatalf("status %q, want delivered to stand against later, older reports", got)
	}
	h, b := r.twilioForm("/sms/tw/status", url.Values{"MessageSid": {sid}, "AccountSid": {"ACtest"}})
	if code, _ := r.post("/sms/tw/status", h, b); code != 400 {
		t.Fatalf("a report without a status: %d", code)
	}
	r.store.fail = errDisk
	h, b = r.twilioForm("/sms/tw/status", url.Values{"MessageSid": {sid}, "MessageStatus": {"delivered"}, "AccountSid": {"ACtest"}})
	if code, _ := r.post("/sms/tw/status", h, b); code != 503 {
		t.Fatalf("a report that could not be stored must be retried: %d", code)
	}
}

func TestKeywords(t *testing.T) {
	api := newFakeTwilio(t)
	r := newRig(t, twilioProvider(t, api.srv.URL), nil)
	send := func(sid, text string) {
		t.Helper()
		h, b := r.twilioForm("/sms/tw/inbound", inboundForm(sid, "+8613800138000", text))
		if code, body := r.post("/sms/tw/inbound", h, b); code != 200 || body != emptyTwiML {
			t.Fatalf("%s: %d %q", text, code, body)
		}
	}
	send("K1", "退订")
	send("K1", "退订") // Twilio's retry
	eventually(t, "the opt-out confirmation", func() bool { return len(api.sends()) == 1 })
	if !r.store.optedOut["+8613800138000"] {
		t.Fatal("not opted out")
	}
	if got := api.sends()[0].Get("Body"); got != defaultTexts().OptOut {
		t.Fatalf("confirmation %q", got)
	}
	if err := r.ch.Send(context.Background(), channels.Outbound{ID: "x", Address: "+8613800138000", From: "bot", Text: "hi"}); err == nil {
		t.Fatal("a bot message reached an opted-out number")
	}
	send("K2", "HELP")
	send("K3", "START")
	eventually(t, "the opt-in confirmation", func() bool { return len(api.sends()) == 2 })
	if got := api.sends()[1].Get("Body"); got != defaultTexts().OptIn {
		t.Fatalf("an opted-out number got %q; want only the opt-in confirmation after the opt-out", got)
	}
	send("K4", "help")
	eventually(t, "the help text", func() bool { return len(api.sends()) == 3 })
	if len(r.recv.inbound()) != 0 {
		t.Fatal("keywords must not reach the dialog")
	}
	send("K5", "我想退订套餐")
	if len(r.recv.inbound()) != 1 {
		t.Fatal("a sentence that mentions 退订 is a message for the dialog")
	}
}

func TestRender(t *testing.T) {
	en := render(channels.Outbound{Text: "Pick one", QuickReplies: []channels.QuickReply{{Label: "Yes"}, {Label: "No"}},
		Links: []channels.Link{{Title: "Guide", URL: "https://example.com/g"}}})
	if en != "Pick one\nReply 1 Yes, 2 No\nGuide https://example.com/g" {
		t.Fatalf("%q", en)
	}
	var _ = json.Valid
}

// limitedProvider refuses every send with a number's frequency limit.
type limitedProvider struct{ *Twilio }

func (limitedProvider) Send(context.Context, string, string) (string, error) {
	return "", tencentError(200, "LimitExceeded.PhoneNumberThirtySecondLimit")
}

// A number's own frequency limit is retried later but does not open the
// breaker for every other number.
func TestSend_NumberLimitDoesNotOpenTheBreaker(t *testing.T) {
	r := newRig(t, func(string) Provider { return limitedProvider{&Twilio{}} }, nil)
	m := channels.Outbound{ID: "m", Address: "+8613800138000", From: "bot", Text: "x"}
	for i := range breakerThreshold + 2 {
		err := r.ch.Send(context.Background(), m)
		if !channels.Retryable(err) || !errors.Is(err, errNumberLimit) {
			t.Fatalf("send %d: %v, want the retryable per-number limit, not an open breaker", i+1, err)
		}
	}
	if err := tencentError(200, "LimitExceeded.PhoneNumberDailyLimit"); errors.Is(err, errNumberLimit) || channels.Retryable(err) {
		t.Fatalf("tencent daily limit is permanent: %v", err)
	}
}

// A keyword's reply that meets a throttled provider is tried again.
func TestKeywords_ReplyRetried(t *testing.T) {
	api := newFakeTwilio(t)
	api.then(answer(429, `{"code":20429,"status":429}`))
	r := newRig(t, twilioProvider(t, api.srv.URL), nil)
	r.ch.retries = []time.Duration{10 * time.Millisecond, 10 * time.Millisecond}
	h, b := r.twilioForm("/sms/tw/inbound", inboundForm("KR1", "+8613800138000", "TD"))
	if code, _ := r.post("/sms/tw/inbound", h, b); code != 200 {
		t.Fatal(code)
	}
	eventually(t, "the confirmation after a retry", func() bool { return len(api.sends()) == 1 })
}

// Answers that are numbers already are offered as they are, and a typed
// number is not mapped to the list.
func TestRender_SelfNumberedAnswers(t *testing.T) {
	m := channels.Outbound{Text: "请打分", QuickReplies: []channels.QuickReply{{Label: "5 非常满意", Payload: "rate:5"}, {Label: "1 非常不满意", Payload: "rate:1"}}}
	if got := render(m); got != "请打分\n5 非常满意 / 1 非常不满意" {
		t.Fatalf("%q", got)
	}
	api := newFakeTwilio(t)
	r := newRig(t, twilioProvider(t, api.srv.URL), nil)
	m.ID, m.Address, m.From = "r1", "+8613800138000", "system"
	if err := r.ch.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	h, b := r.twilioForm("/sms/tw/inbound", inboundForm("SMr", "+8613800138000", "1"))
	r.post("/sms/tw/inbound", h, b)
	if in := r.recv.inbound(); len(in) != 1 || in[0].Payload != "" || in[0].Text != "1" {
		t.Fatalf("a typed 1 became %+v, want the text 1 for the dialog to read as the rating", in)
	}
}

// memCounter is a SharedCounter in memory, standing for the counter two
// instances share.
type memCounter struct {
	mu     sync.Mutex
	n      map[string]int64
	starts map[string]time.Time
}

func (m *memCounter) Add(_ context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	if start, ok := m.starts[key]; !ok || now.Sub(start) >= window {
		m.starts[key], m.n[key] = now, 0
	}
	m.n[key]++
	return m.n[key], window - now.Sub(m.starts[key]), nil
}

// Two channels (two instances) sharing a counter send at most Rate a
// second together.
func TestSend_SharedRate(t *testing.T) {
	api := newFakeTwilio(t)
	shared := &memCounter{n: map[string]int64{}, starts: map[string]time.Time{}}
	tune := func(c *Config) { c.Rate, c.Burst, c.Shared = 5, 100, shared }
	one, two := newRig(t, twilioProvider(t, api.srv.URL), tune), newRig(t, twilioProvider(t, api.srv.URL), tune)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range 12 {
		ch := one.ch
		if i%2 == 1 {
			ch = two.ch
		}
		wg.Go(func() {
			if err := ch.Send(context.Background(), channels.Outbound{ID: fmt.Sprint(i), Address: "+8613800138000", From: "bot", Text: "x"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// 12 sends at 5 a second between both: at least two full windows.
	if d := time.Since(start); d < 2*time.Second {
		t.Fatalf("12 sends took %v; the shared rate of 5/s was not kept", d)
	}
	if n := len(api.sends()); n != 12 {
		t.Fatalf("%d sends, want 12", n)
	}
}
