package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"

	"hotline/channels"
)

// The SDK's HTTP settings are package-wide, so every test in this
// package talks to one fake WeChat API, whose behaviour each test sets.
var fakeAPI = newFakeWeChat()

func TestMain(m *testing.M) {
	srv := httptest.NewServer(fakeAPI)
	fakeAPI.url = srv.URL
	code := m.Run()
	srv.Close()
	os.Exit(code)
}

// fakeWeChat speaks WeChat's token and customer-service send endpoints.
type fakeWeChat struct {
	url    string
	mu     sync.Mutex
	tokens int                  // tokens issued
	codes  []int                // errcodes of the next sends, then 0
	delay  time.Duration        // how long each send takes
	sent   []customText         // accepted sends
	seen   []string             // access tokens used by sends
	onSend func(customText)     // called for each accepted send
	raw    map[string]rawAnswer // by path: answered as is instead
}

// rawAnswer is an answer the fake gives as it is, right or wrong.
type rawAnswer struct {
	status int
	body   string
}

func newFakeWeChat() *fakeWeChat { return &fakeWeChat{} }

// reset clears the fake between tests.
func (f *fakeWeChat) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens, f.codes, f.delay, f.sent, f.seen, f.onSend, f.raw = 0, nil, 0, nil, nil, nil, nil
}

func (f *fakeWeChat) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	raw, ok := f.raw[r.URL.Path]
	f.mu.Unlock()
	if ok {
		w.WriteHeader(raw.status)
		_, _ = io.WriteString(w, raw.body)
		return
	}
	switch r.URL.Path {
	case "/cgi-bin/token", "/cgi-bin/stable_token":
		f.mu.Lock()
		f.tokens++
		n := f.tokens
		f.mu.Unlock()
		_, _ = fmt.Fprintf(w, `{"access_token":"tok-%d-of-the-fake","expires_in":7200}`, n)
	case "/cgi-bin/message/custom/send":
		f.custom(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeWeChat) custom(w http.ResponseWriter, r *http.Request) {
	var m customText
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	delay := f.delay
	code := 0
	if len(f.codes) > 0 {
		code, f.codes = f.codes[0], f.codes[1:]
	}
	f.seen = append(f.seen, r.URL.Query().Get("access_token"))
	if code == 0 {
		f.sent = append(f.sent, m)
	}
	hook := f.onSend
	f.mu.Unlock()
	time.Sleep(delay)
	if code == 0 && hook != nil {
		hook(m)
	}
	_, _ = fmt.Fprintf(w, `{"errcode":%d,"errmsg":"fake"}`, code)
}

// sentTexts returns the accepted customer-service texts.
func (f *fakeWeChat) sentTexts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, m := range f.sent {
		out = append(out, m.Text.Content)
	}
	return out
}

// fakeReceiver stands in for the engine and the outbox: it drops repeats
// by provider id, and hands its replies to the channel's Send as the
// outbox would, after a delay.
type fakeReceiver struct {
	ch      *Channel
	replies func(channels.Inbound) []string
	delay   time.Duration

	mu   sync.Mutex
	got  []channels.Inbound
	seen map[string]bool
	errs []error // Send results
	n    int
}

func (f *fakeReceiver) Receive(_ context.Context, in channels.Inbound) (channels.Receipt, error) {
	f.mu.Lock()
	if f.seen[in.ProviderID] {
		f.mu.Unlock()
		return channels.Receipt{Duplicate: true}, nil
	}
	f.seen[in.ProviderID] = true
	f.got = append(f.got, in)
	f.n++
	id := fmt.Sprintf("m%d", f.n)
	f.mu.Unlock()

	var texts []string
	if f.replies != nil {
		texts = f.replies(in)
	}
	go func() {
		time.Sleep(f.delay)
		for i, text := range texts {
			out := channels.Outbound{ID: fmt.Sprintf("%s-r%d", id, i), Channel: "wechat",
				Address: in.Address, From: "bot", Text: text, ReplyTo: id}
			err := f.ch.Send(context.Background(), out)
			f.mu.Lock()
			f.errs = append(f.errs, err)
			f.mu.Unlock()
		}
	}()
	return channels.Receipt{MessageID: id, Replies: len(texts)}, nil
}

func (f *fakeReceiver) inbound() []channels.Inbound {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]channels.Inbound(nil), f.got...)
}

// rig is a channel on a fake receiver, with its logs captured.
type rig struct {
	ch   *Channel
	recv *fakeReceiver
	logs *bytes.Buffer
	now  time.Time
	cfg  Config
}

const (
	testToken = "hotlinetoken"
	testAppID = "wx0000000000000001"
	testKey   = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	testOpen  = "oFollower-0001"
)

// newRig builds a channel with the test account, replying with what
// replies returns.
func newRig(t *testing.T, replies func(channels.Inbound) []string, tune func(*Config)) *rig {
	t.Helper()
	fakeAPI.reset()
	logs := &bytes.Buffer{}
	recv := &fakeReceiver{replies: replies, seen: map[string]bool{}}
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	cfg := Config{AppID: testAppID, Secret: "secret-of-the-test-account", Token: testToken,
		AESKey: testKey, APIURL: fakeAPI.url, Receiver: recv,
		Menu: map[string]string{"MENU_FAULT": "fault"},
		Now:  func() time.Time { return now }, ReplyBudget: 500 * time.Millisecond,
		SendTimeout: 300 * time.Millisecond,
		Log:         slog.New(slog.NewTextHandler(&syncWriter{w: logs}, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if tune != nil {
		tune(&cfg)
	}
	ch, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	recv.ch = ch
	return &rig{ch: ch, recv: recv, logs: logs, now: now, cfg: cfg}
}

// syncWriter lets several goroutines log to one buffer.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// signedQuery is a callback's query signed with the token at the time.
func signedQuery(token string, at time.Time, nonce string) url.Values {
	ts := fmt.Sprint(at.Unix())
	q := url.Values{"timestamp": {ts}, "nonce": {nonce}, "signature": {util.Signature(token, ts, nonce)}}
	return q
}

// post sends a callback and returns the response.
func (r *rig) post(q url.Values, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/wechat?"+q.Encode(), strings.NewReader(body))
	req.Header.Set("Content-Type", "text/xml")
	w := httptest.NewRecorder()
	r.ch.ServeHTTP(w, req)
	return w
}

// textXML is a follower's text message in plaintext mode.
func textXML(from, text string, msgID int64) string {
	return fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>`+
		`<CreateTime>1764838800</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content>`+
		`<MsgId>%d</MsgId></xml>`, from, text, msgID)
}

// eventXML is an event in plaintext mode.
func eventXML(from, event, key string) string {
	return fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>`+
		`<CreateTime>1764838801</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[%s]]></Event>`+
		`<EventKey><![CDATA[%s]]></EventKey></xml>`, from, event, key)
}
