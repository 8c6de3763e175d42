package wechat

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/util"

	"hotline/channels"
)

// vectors are the providers' published test vectors in testdata.
type vectors struct {
	OA struct {
		Token      string `json:"token"`
		AESKey     string `json:"aes_key"`
		AppID      string `json:"appid"`
		Random     string `json:"random"`
		Plaintext  string `json:"plaintext"`
		Ciphertext string `json:"ciphertext"`
	} `json:"oa_sample"`
	WeCom struct {
		Token        string `json:"token"`
		AESKey       string `json:"aes_key"`
		AppID        string `json:"appid"`
		MsgSignature string `json:"msg_signature"`
		Timestamp    string `json:"timestamp"`
		Nonce        string `json:"nonce"`
		Encrypt      string `json:"encrypt"`
		From         string `json:"from"`
		Content      string `json:"content"`
		MsgID        int64  `json:"msg_id"`
	} `json:"wecom_sample"`
}

func loadVectors(t *testing.T) vectors {
	t.Helper()
	data, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// Tencent's Official Account sample encrypts to its published ciphertext
// and decrypts back, with the crypto the channel uses.
func TestVector_OfficialAccountSample(t *testing.T) {
	v := loadVectors(t).OA
	got, err := util.EncryptMsg([]byte(v.Random), []byte(v.Plaintext), v.AppID, v.AESKey)
	if err != nil || string(got) != v.Ciphertext {
		t.Fatalf("encrypt = %q (%v), want the published ciphertext", got, err)
	}
	random, plain, err := util.DecryptMsg(v.AppID, v.Ciphertext, v.AESKey)
	if err != nil || string(plain) != v.Plaintext || string(random) != v.Random {
		t.Fatalf("decrypt = %q %q (%v)", random, plain, err)
	}
	if _, _, err := util.DecryptMsg("wx-other-app", v.Ciphertext, v.AESKey); err == nil {
		t.Fatal("a ciphertext for another appid decrypted")
	}
}

// The WeCom sample with its published msg_signature passes a full safe
// mode callback: the follower's "hello" reaches the engine, and the
// encrypted reply decrypts and carries a valid signature.
func TestVector_SafeModeCallback(t *testing.T) {
	v := loadVectors(t).WeCom
	r := newRig(t, func(channels.Inbound) []string { return []string{"您好，请问有什么可以帮您？"} },
		func(c *Config) {
			c.AppID, c.Token, c.AESKey = v.AppID, v.Token, v.AESKey
			c.Now = func() time.Time { return time.Unix(1409659813, 0) }
		})
	q := url.Values{"timestamp": {v.Timestamp}, "nonce": {v.Nonce},
		"signature":    {util.Signature(v.Token, v.Timestamp, v.Nonce)},
		"encrypt_type": {"aes"}, "msg_signature": {v.MsgSignature}}
	body := `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[` + v.Encrypt +
		`]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`
	w := r.post(q, body)
	if w.Code != http.StatusOK {
		t.Fatalf("HTTP %d %s", w.Code, w.Body)
	}
	in := r.recv.inbound()
	if len(in) != 1 || in[0].Address != v.From || in[0].Text != v.Content ||
		in[0].ProviderID != fmt.Sprintf("msg:%d", v.MsgID) {
		t.Fatalf("inbound = %+v", in)
	}

	var resp struct {
		Encrypt      string `xml:"Encrypt"`
		MsgSignature string `xml:"MsgSignature"`
		TimeStamp    string `xml:"TimeStamp"`
		Nonce        string `xml:"Nonce"`
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &resp); err != nil || resp.Encrypt == "" {
		t.Fatalf("response %q is not an encrypted reply: %v", w.Body, err)
	}
	if util.Signature(v.Token, resp.TimeStamp, resp.Nonce, resp.Encrypt) != resp.MsgSignature {
		t.Fatal("the reply's signature does not verify")
	}
	_, plain, err := util.DecryptMsg(v.AppID, resp.Encrypt, v.AESKey)
	if err != nil || !strings.Contains(string(plain), "请问有什么可以帮您") || !strings.Contains(string(plain), v.From) {
		t.Fatalf("decrypted reply = %q (%v)", plain, err)
	}
}

// inboundCase is one callback through the real handler.
type inboundCase struct {
	name     string
	method   string
	query    func(r *rig) url.Values
	body     string
	header   http.Header
	status   int
	bodyHas  string
	inbounds int
	check    func(t *testing.T, in []channels.Inbound)
}

func signed(r *rig) url.Values { return signedQuery(testToken, r.now, "n1") }

func TestCallbacks(t *testing.T) {
	bomb := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>` +
		`<xml><FromUserName>&lol2;</FromUserName><MsgType>text</MsgType></xml>`
	cases := []inboundCase{
		{name: "text sent as JSON content", query: signed, body: textXML(testOpen, "你好", 10),
			header: http.Header{"Content-Type": {"application/json"}}, status: 200, bodyHas: "回复：你好", inbounds: 1},
		{name: "url check", method: http.MethodGet, query: func(r *rig) url.Values {
			q := signed(r)
			q.Set("echostr", "echo-123")
			return q
		}, status: 200, bodyHas: "echo-123"},
		{name: "url check in safe mode", method: http.MethodGet, query: func(r *rig) url.Values {
			q := signed(r)
			q.Set("echostr", "echo-456")
			q.Set("encrypt_type", "aes")
			return q
		}, status: 200, bodyHas: "echo-456"},
		{name: "url check with a wrong signature", method: http.MethodGet, query: func(r *rig) url.Values {
			q := signed(r)
			q.Set("echostr", "echo-123")
			q.Set("signature", "0000")
			return q
		}, status: 403},
		{name: "stale timestamp", query: func(r *rig) url.Values {
			return signedQuery(testToken, r.now.Add(-10*time.Minute), "n1")
		}, body: textXML(testOpen, "你好", 1), status: 403},
		{name: "wrong token", query: func(r *rig) url.Values {
			return signedQuery("another-token", r.now, "n1")
		}, body: textXML(testOpen, "你好", 1), status: 403},
		{name: "text", query: signed, body: textXML(testOpen, "宽带怎么办理", 11), status: 200,
			bodyHas: "回复：宽带怎么办理", inbounds: 1, check: func(t *testing.T, in []channels.Inbound) {
				if in[0].Text != "宽带怎么办理" || in[0].ProviderID != "msg:11" || in[0].Address != testOpen {
					t.Errorf("inbound = %+v", in[0])
				}
			}},
		{name: "voice with recognition", query: signed, body: `<xml><FromUserName><![CDATA[` + testOpen +
			`]]></FromUserName><MsgType><![CDATA[voice]]></MsgType><MediaId>m1</MediaId><Format>amr</Format>` +
			`<Recognition><![CDATA[查话费]]></Recognition><MsgId>12</MsgId></xml>`, status: 200, inbounds: 1,
			check: func(t *testing.T, in []channels.Inbound) {
				if in[0].Text != "查话费" {
					t.Errorf("voice text = %q", in[0].Text)
				}
			}},
		{name: "image", query: signed, body: `<xml><FromUserName><![CDATA[` + testOpen +
			`]]></FromUserName><MsgType><![CDATA[image]]></MsgType><PicUrl>http://example/p.jpg</PicUrl>` +
			`<MediaId>m2</MediaId><MsgId>13</MsgId></xml>`, status: 200, inbounds: 1,
			check: func(t *testing.T, in []channels.Inbound) {
				if len(in[0].Attachments) != 1 || in[0].Attachments[0].Kind != "image" {
					t.Errorf("image = %+v", in[0])
				}
			}},
		{name: "location", query: signed, body: `<xml><FromUserName><![CDATA[` + testOpen +
			`]]></FromUserName><MsgType><![CDATA[location]]></MsgType><Location_X>39.9</Location_X>` +
			`<Location_Y>116.4</Location_Y><Scale>15</Scale><Label><![CDATA[朝阳区]]></Label><MsgId>14</MsgId></xml>`,
			status: 200, inbounds: 1, check: func(t *testing.T, in []channels.Inbound) {
				a := in[0].Attachments
				if len(a) != 1 || a[0].Kind != "location" || a[0].Lat != 39.9 || a[0].Label != "朝阳区" {
					t.Errorf("location = %+v", in[0])
				}
			}},
		{name: "follow", query: signed, body: eventXML(testOpen, "subscribe", ""), status: 200, inbounds: 1,
			check: func(t *testing.T, in []channels.Inbound) {
				if in[0].Event == nil || in[0].Event.Name != "subscribe" || !strings.HasPrefix(in[0].ProviderID, "ev:") {
					t.Errorf("follow = %+v", in[0])
				}
			}},
		{name: "menu click", query: signed, body: eventXML(testOpen, "CLICK", "MENU_FAULT"), status: 200, inbounds: 1,
			check: func(t *testing.T, in []channels.Inbound) {
				if in[0].Event == nil || in[0].Event.Name != "click" || in[0].Event.Key != "fault" {
					t.Errorf("click = %+v", in[0].Event)
				}
			}},
		{name: "unfollow", query: signed, body: eventXML(testOpen, "unsubscribe", ""), status: 200, bodyHas: "success"},
		{name: "unknown type", query: signed, body: `<xml><FromUserName><![CDATA[` + testOpen +
			`]]></FromUserName><MsgType><![CDATA[hologram]]></MsgType><MsgId>15</MsgId></xml>`, status: 200, bodyHas: "success"},
		{name: "invalid UTF-8", query: signed, body: textXML(testOpen, "\xff\xfe", 16), status: 400},
		{name: "malformed XML", query: signed, body: `<xml><FromUserName>`, status: 400},
		{name: "entity bomb", query: signed, body: bomb, status: 400},
		{name: "oversized body", query: signed, body: textXML(testOpen, strings.Repeat("长", 30_000), 17), status: 413},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, func(in channels.Inbound) []string { return []string{"回复：" + in.Text} }, nil)
			method := c.method
			if method == "" {
				method = http.MethodPost
			}
			req := httptest.NewRequest(method, "/wechat?"+c.query(r).Encode(), strings.NewReader(c.body))
			for k, v := range c.header {
				req.Header[k] = v
			}
			w := httptest.NewRecorder()
			r.ch.ServeHTTP(w, req)
			if w.Code != c.status || !strings.Contains(w.Body.String(), c.bodyHas) {
				t.Fatalf("HTTP %d %q, want %d with %q", w.Code, w.Body, c.status, c.bodyHas)
			}
			in := r.recv.inbound()
			if len(in) != c.inbounds {
				t.Fatalf("%d messages reached the engine, want %d", len(in), c.inbounds)
			}
			if c.check != nil {
				c.check(t, in)
			}
			assertNoPersonalData(t, r.logs.String())
		})
	}
}

// assertNoPersonalData checks the logs carry no openid or message text.
func assertNoPersonalData(t *testing.T, logs string) {
	t.Helper()
	for _, secret := range []string{testOpen, "宽带怎么办理", "查话费", "朝阳区", "mycreate", "secret-of-the-test-account", "tok-1-of-the-fake"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q:\n%s", secret, logs)
		}
	}
}

// In compatible mode WeChat sends the plaintext and the ciphertext; the
// channel reads the ciphertext and answers encrypted.
func TestCallback_CompatibleMode(t *testing.T) {
	r := newRig(t, func(channels.Inbound) []string { return []string{"好的"} }, nil)
	plain := textXML(testOpen, "在吗", 21)
	enc, err := util.EncryptMsg([]byte("0123456789abcdef"), []byte(plain), testAppID, testKey)
	if err != nil {
		t.Fatal(err)
	}
	q := signed(r)
	q.Set("encrypt_type", "aes")
	q.Set("msg_signature", util.Signature(testToken, q.Get("timestamp"), q.Get("nonce"), string(enc)))
	body := strings.Replace(plain, "</xml>", "<Encrypt><![CDATA["+string(enc)+"]]></Encrypt></xml>", 1)
	w := r.post(q, body)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "<Encrypt>") {
		t.Fatalf("HTTP %d %q, want an encrypted reply", w.Code, w.Body)
	}
	if in := r.recv.inbound(); len(in) != 1 || in[0].Text != "在吗" {
		t.Fatalf("inbound = %+v", in)
	}

	q.Set("msg_signature", "forged")
	if w := r.post(q, body); w.Code != http.StatusForbidden {
		t.Fatalf("forged message signature: HTTP %d %q", w.Code, w.Body)
	}
}

// Replies not ready within the budget are answered "success" and go
// through the customer-service API instead, in order.
func TestCallback_SlowRepliesGoThroughTheAPI(t *testing.T) {
	r := newRig(t, func(channels.Inbound) []string { return []string{"第一条", "第二条"} }, nil)
	r.recv.delay = 700 * time.Millisecond // past the 500 ms budget
	w := r.post(signed(r), textXML(testOpen, "你好", 31))
	if w.Code != 200 || w.Body.String() != "success" {
		t.Fatalf("HTTP %d %q, want success", w.Code, w.Body)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(fakeAPI.sentTexts()) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("sent through the API: %q", fakeAPI.sentTexts())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := fakeAPI.sentTexts(); got[0] != "第一条" || got[1] != "第二条" {
		t.Fatalf("API got %q, want both replies in order", got)
	}
}

// Replies ready in time share one passive reply; a duplicate callback
// (WeChat's retry) does no work and says success.
func TestCallback_PassiveReplyAndRetry(t *testing.T) {
	r := newRig(t, func(channels.Inbound) []string { return []string{"第一条", "第二条"} }, nil)
	w := r.post(signed(r), textXML(testOpen, "你好", 41))
	if !strings.Contains(w.Body.String(), "第一条\n\n第二条") {
		t.Fatalf("passive reply %q, want both replies", w.Body)
	}
	again := r.post(signed(r), textXML(testOpen, "你好", 41))
	if again.Body.String() != "success" || len(r.recv.inbound()) != 1 {
		t.Fatalf("retry: %q with %d messages received", again.Body, len(r.recv.inbound()))
	}
	if sent := fakeAPI.sentTexts(); len(sent) != 0 {
		t.Fatalf("the API was called for replies that went passive: %q", sent)
	}
}

// The customer-service API: a refused token is evicted and the send tried
// once more; a closed window is a permanent failure; a slow API is a
// failure worth retrying.
func TestSend_CustomerServiceAPI(t *testing.T) {
	r := newRig(t, nil, nil)
	ctx := t.Context()
	out := channels.Outbound{ID: "o1", Address: testOpen, Text: "工单已受理", ReplyTo: "none"}

	fakeAPI.codes = []int{codeBadToken}
	if err := r.ch.Send(ctx, out); err != nil {
		t.Fatalf("after 40001: %v, want sent with a fresh token", err)
	}
	if fakeAPI.tokens != 2 || len(fakeAPI.seen) != 2 || fakeAPI.seen[0] == fakeAPI.seen[1] {
		t.Fatalf("tokens issued %d, used %q: want a second token after 40001", fakeAPI.tokens, fakeAPI.seen)
	}

	fakeAPI.codes = []int{codeTokenExpired}
	if err := r.ch.Send(ctx, out); err != nil || fakeAPI.tokens != 3 {
		t.Fatalf("after 42001: %v with %d tokens issued, want sent with a third token", err, fakeAPI.tokens)
	}

	fakeAPI.codes = []int{codeWindowClosed}
	err := r.ch.Send(ctx, out)
	var se *channels.SendError
	if !errors.As(err, &se) || se.Retryable || !strings.Contains(err.Error(), "45015") {
		t.Fatalf("45015: %v, want a permanent failure naming the code", err)
	}

	fakeAPI.codes = []int{codeBusy}
	if err := r.ch.Send(ctx, out); !channels.Retryable(err) {
		t.Fatalf("-1: %v, want retryable", err)
	}

	fakeAPI.delay = time.Second // past the 300 ms send timeout
	err = r.ch.Send(ctx, out)
	if !channels.Retryable(err) || strings.Contains(err.Error(), "access_token") {
		t.Fatalf("slow API: %v, want retryable without the token in the error", err)
	}
	assertNoPersonalData(t, r.logs.String())
}

// A long text is split on character boundaries under WeChat's limit and
// sent in order.
func TestSend_SplitsLongText(t *testing.T) {
	r := newRig(t, nil, nil)
	long := strings.Repeat("宽带故障处理说明。", 300) // 8,100 bytes
	if err := r.ch.Send(t.Context(), channels.Outbound{ID: "o2", Address: testOpen, Text: long}); err != nil {
		t.Fatal(err)
	}
	parts := fakeAPI.sentTexts()
	if len(parts) < 5 || strings.Join(parts, "") != long {
		t.Fatalf("%d parts that do not add up to the text", len(parts))
	}
	for _, p := range parts {
		if len(p) > maxTextBytes || !utf8Valid(p) {
			t.Fatalf("part of %d bytes, valid %v", len(p), utf8Valid(p))
		}
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// Quick replies become a line of answers to type.
func TestRender_QuickReplies(t *testing.T) {
	got := render(channels.Outbound{Text: "请选择区域", QuickReplies: []channels.QuickReply{
		{Label: "朝阳区", Payload: "a"}, {Label: "海淀区", Payload: "b"}}})
	if got != "请选择区域\n\n可回复：朝阳区 / 海淀区" {
		t.Fatalf("render = %q", got)
	}
	if en := render(channels.Outbound{Text: "Pick one", QuickReplies: []channels.QuickReply{{Label: "Yes"}}}); !strings.Contains(en, "Reply with: Yes") {
		t.Fatalf("render = %q", en)
	}
}

// After a follower's message, five customer-service messages may follow
// within 48 hours; the sixth, and any after the window closed, fail at
// once without calling WeChat. A click opens a one-minute window of three.
func TestSend_WindowAndQuota(t *testing.T) {
	t.Run("in memory", func(t *testing.T) { windowAndQuota(t, nil) })
	t.Run("in redis", func(t *testing.T) { windowAndQuota(t, requireRedis(t)) })
}

func windowAndQuota(t *testing.T, rdb redis.UniversalClient) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	appID := fmt.Sprintf("wxwindow%d", time.Now().UnixNano())
	r := newRig(t, nil, func(c *Config) {
		c.Now, c.Redis, c.AppID = func() time.Time { return now }, rdb, appID
	})
	r.post(signedQuery(testToken, now, "n"), textXML(testOpen, "你好", 51))
	out := channels.Outbound{ID: "o", Address: testOpen, Text: "通知", ReplyTo: "none"}
	for i := range messageQuota {
		if err := r.ch.Send(t.Context(), out); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
	calls := len(fakeAPI.sentTexts())
	err := r.ch.Send(t.Context(), out)
	if channels.Retryable(err) || err == nil || !strings.Contains(err.Error(), "quota") {
		t.Fatalf("sixth message: %v, want a permanent quota failure", err)
	}
	if len(fakeAPI.sentTexts()) != calls {
		t.Fatal("the API was called past the quota")
	}

	now = now.Add(messageWindow + time.Minute)
	if err := r.ch.Send(t.Context(), out); err == nil || !strings.Contains(err.Error(), "window") {
		t.Fatalf("after 48 hours: %v, want the window closed", err)
	}
	r.post(signedQuery(testToken, now, "n2"), eventXML(testOpen, "CLICK", "MENU_FAULT"))
	for i := range eventQuota {
		if err := r.ch.Send(t.Context(), out); err != nil {
			t.Fatalf("after a click, message %d: %v", i+1, err)
		}
	}
	if err := r.ch.Send(t.Context(), out); err == nil {
		t.Fatal("a fourth message after a click was let through")
	}
}

// A receiver that panics gets the callback a 503, so WeChat retries, and
// leaves no open callback behind for the follower's later messages.
func TestCallback_ReceiverFailure(t *testing.T) {
	r := newRig(t, nil, nil)
	r.ch.cfg.Receiver = panicky{}
	if w := r.post(signed(r), textXML(testOpen, "你好", 61)); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("panicking receiver: HTTP %d %q, want 503", w.Code, w.Body)
	}
	if n := len(r.ch.waiters.of(testOpen)); n != 0 {
		t.Fatalf("%d waiters left behind", n)
	}
	if err := r.ch.Send(t.Context(), channels.Outbound{ID: "x", Address: testOpen, Text: "later"}); err != nil {
		t.Fatal(err)
	}
	if got := fakeAPI.sentTexts(); len(got) != 1 || got[0] != "later" {
		t.Fatalf("a later message went %q, want through the API", got)
	}
}

// panicky is a receiver that panics.
type panicky struct{}

func (panicky) Receive(context.Context, channels.Inbound) (channels.Receipt, error) {
	panic("receiver broke")
}

// A long message whose third part fails is retried from the third part:
// the follower never reads the first two twice.
func TestSend_RetryResumesAtTheFailedPart(t *testing.T) {
	r := newRig(t, nil, nil)
	long := strings.Repeat("宽带故障处理说明。", 300)
	parts := split(long, maxTextBytes)
	fakeAPI.codes = []int{0, 0, codeBusy}
	out := channels.Outbound{ID: "o-long", Address: testOpen, Text: long}
	if err := r.ch.Send(t.Context(), out); !channels.Retryable(err) {
		t.Fatalf("first attempt: %v, want a retryable failure", err)
	}
	if err := r.ch.Send(t.Context(), out); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if got := fakeAPI.sentTexts(); len(got) != len(parts) || strings.Join(got, "") != long {
		t.Fatalf("sent %d parts, want each of the %d once", len(got), len(parts))
	}
}
