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

// The worked example of docs/sms-webhook.md, computed with
//
//	printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET"
const (
	webhookDocSecret    = "example-secret-please-change"
	webhookDocTimestamp = "1767225600"
	webhookDocInbound   = `{"id":"gw-1001","from":"+8613800138000","text":"你好","at":"2026-01-01T08:00:00+08:00"}`
	webhookDocInSig     = "sha256=89b050fac518ba80492a21e78544a1a5c4e0c15dca9a8d41fda8645606e4c823"
	webhookDocSendBody  = `{"to":"+8613800138000","text":"您的工单已受理"}`
	webhookDocSendSig   = "sha256=90fc8d04dc1c4ce9caec1495de9d9d21a633a16b46958b759e106ef9a9befc21"
)

// webhookDocNow is the worked example's time.
var webhookDocNow = time.Unix(1767225600, 0)

func newTestWebhook(t *testing.T, sendURL string, timeout time.Duration, now time.Time) *Webhook {
	t.Helper()
	w, err := NewWebhook(WebhookConfig{Secret: []byte(webhookDocSecret), SendURL: sendURL, Timeout: timeout,
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// signedRequest is a callback signed at ts with the doc secret.
func signedRequest(ts, contentType, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/sms/gw/inbound", strings.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	r.Header.Set("X-Hotline-Timestamp", ts)
	r.Header.Set("X-Hotline-Signature", webhookSignature([]byte(webhookDocSecret), ts, []byte(body)))
	return r
}

func TestWebhookConfig(t *testing.T) {
	w, err := NewWebhook(WebhookConfig{Secret: []byte("s"), SendURL: "https://gw.example/send"})
	if err != nil {
		t.Fatal(err)
	}
	if w.Kind() != "webhook" || w.cfg.Window != 5*time.Minute || w.cfg.Timeout != 10*time.Second {
		t.Errorf("defaults: %+v", w.cfg)
	}
	for name, c := range map[string]WebhookConfig{
		"no secret":   {SendURL: "https://gw.example/send"},
		"no send url": {Secret: []byte("s")},
		"bad url":     {Secret: []byte("s"), SendURL: "gw.example/send"},
	} {
		if _, err := NewWebhook(c); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestWebhookDocExample(t *testing.T) {
	if got := webhookSignature([]byte(webhookDocSecret), webhookDocTimestamp, []byte(webhookDocInbound)); got != webhookDocInSig {
		t.Errorf("inbound example signature %s, the document says %s", got, webhookDocInSig)
	}
	w := newTestWebhook(t, "http://127.0.0.1:1/send", time.Second, webhookDocNow.Add(time.Minute))
	r := httptest.NewRequest(http.MethodPost, "/sms/gw/inbound", strings.NewReader(webhookDocInbound))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Hotline-Timestamp", webhookDocTimestamp)
	r.Header.Set("X-Hotline-Signature", webhookDocInSig)
	got, err := w.Inbound(r, []byte(webhookDocInbound))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if len(got) != 1 || got[0].Key != "gw-1001" || got[0].From != "+8613800138000" || got[0].Text != "你好" ||
		!got[0].At.Equal(at) {
		t.Errorf("example: %+v", got)
	}
}

func TestWebhookInbound(t *testing.T) {
	now := time.Unix(1767225600, 0)
	w := newTestWebhook(t, "http://127.0.0.1:1/send", time.Second, now)
	ts := strconv.FormatInt(now.Unix(), 10)
	body := `[{"id":"a","from":"+8613800138000","text":"一"},{"id":"b","from":"13900139000","text":"二","at":"2026-01-01T00:00:01Z"}]`
	got, err := w.Inbound(signedRequest(ts, "application/json; charset=utf-8", body), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Key != "a" || !got[0].At.IsZero() || got[1].Key != "b" || got[1].From != "13900139000" ||
		!got[1].At.Equal(time.Date(2026, 1, 1, 0, 0, 1, 0, time.UTC)) {
		t.Errorf("array: %+v", got)
	}

	// Signature failures are 403, whatever the body.
	good := `{"id":"a","from":"+8613800138000","text":"x"}`
	old := strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10)
	for name, r := range map[string]*http.Request{
		"unsigned":  httptest.NewRequest(http.MethodPost, "/", strings.NewReader(good)),
		"stale":     signedRequest(old, "application/json", good),
		"future":    signedRequest(strconv.FormatInt(now.Add(6*time.Minute).Unix(), 10), "application/json", good),
		"other sig": signedRequest(ts, "application/json", good+" "),
	} {
		_, err := w.Inbound(r, []byte(good))
		requestError(t, name, err, http.StatusForbidden)
		if err != nil {
			noSecretsIn(t, name, err.Error(), []string{webhookDocSecret})
		}
	}
	_, err = w.Inbound(signedRequest(ts, "text/plain", good), []byte(good))
	requestError(t, "text/plain", err, http.StatusUnsupportedMediaType)
	_, err = w.Inbound(signedRequest(ts, "", good), []byte(good))
	requestError(t, "no content type", err, http.StatusUnsupportedMediaType)

	for name, body := range map[string]string{
		"not JSON":      `id=a&from=1`,
		"no id":         `{"from":"+8613800138000","text":"x"}`,
		"no from":       `{"id":"a","text":"x"}`,
		"bad at":        `{"id":"a","from":"+8613800138000","text":"x","at":"yesterday"}`,
		"invalid UTF-8": "{\"id\":\"a\",\"from\":\"+8613800138000\",\"text\":\"\xff\"}",
		"number":        `42`,
	} {
		_, err := w.Inbound(signedRequest(ts, "application/json", body), []byte(body))
		requestError(t, name, err, http.StatusBadRequest)
	}
}

func TestWebhookReports(t *testing.T) {
	now := time.Unix(1767225600, 0)
	w := newTestWebhook(t, "http://127.0.0.1:1/send", time.Second, now)
	ts := strconv.FormatInt(now.Unix(), 10)
	one := `{"id":"m1","status":"delivered","code":"DELIVRD"}`
	got, err := w.Reports(signedRequest(ts, "application/json", one), []byte(one))
	if err != nil || len(got) != 1 || got[0] != (Report{ID: "m1", Status: StatusDelivered, Code: "DELIVRD"}) {
		t.Errorf("one report: %+v, %v", got, err)
	}
	all := `[{"id":"1","status":"queued"},{"id":"2","status":"sent"},{"id":"3","status":"delivered"},` +
		`{"id":"4","status":"undelivered","code":"30003"},{"id":"5","status":"failed","code":"x"}]`
	got, err = w.Reports(signedRequest(ts, "application/json", all), []byte(all))
	if err != nil || len(got) != 5 {
		t.Fatalf("five reports: %+v, %v", got, err)
	}
	for i, st := range []Status{StatusQueued, StatusSent, StatusDelivered, StatusUndelivered, StatusFailed} {
		if got[i].Status != st || got[i].ID != strconv.Itoa(i+1) {
			t.Errorf("report %d: %+v", i, got[i])
		}
	}
	_, err = w.Reports(signedRequest(stale(now), "application/json", one), []byte(one))
	requestError(t, "stale", err, http.StatusForbidden)
	for name, body := range map[string]string{
		"unknown status": `{"id":"m1","status":"read"}`,
		"no status":      `{"id":"m1"}`,
		"no id":          `{"status":"sent"}`,
		"not JSON":       `sent`,
	} {
		_, err := w.Reports(signedRequest(ts, "application/json", body), []byte(body))
		requestError(t, name, err, http.StatusBadRequest)
	}
}

// stale is a timestamp just outside the default window before now.
func stale(now time.Time) string {
	return strconv.FormatInt(now.Add(-5*time.Minute-time.Second).Unix(), 10)
}

func TestWebhookAck(t *testing.T) {
	ack := newTestWebhook(t, "http://127.0.0.1:1/send", time.Second, time.Now()).Ack()
	if ack.ContentType != "application/json" || string(ack.Body) != `{"ok":true}` {
		t.Errorf("Ack = %q %q", ack.ContentType, ack.Body)
	}
}

// checkWebhookRequest checks a send: a signed JSON POST to /send.
func checkWebhookRequest(to, text string, now time.Time) func(r *http.Request, body []byte) []string {
	return func(r *http.Request, body []byte) []string {
		var problems []string
		if r.Method != http.MethodPost || r.URL.Path != "/send" {
			problems = append(problems, "want POST /send, got "+r.Method+" "+r.URL.Path)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			problems = append(problems, "Content-Type "+ct)
		}
		ts := r.Header.Get("X-Hotline-Timestamp")
		if ts != strconv.FormatInt(now.Unix(), 10) {
			problems = append(problems, "timestamp "+ts)
		}
		if err := webhookValid([]byte(webhookDocSecret), ts, r.Header.Get("X-Hotline-Signature"), body, now, time.Minute); err != nil {
			problems = append(problems, "signature: "+err.Error())
		}
		var req map[string]string
		if err := json.Unmarshal(body, &req); err != nil || len(req) != 2 || req["to"] != to || req["text"] != text {
			problems = append(problems, "body "+string(body))
		}
		return problems
	}
}

func TestWebhookSendDocExample(t *testing.T) {
	var sig, body string
	api := newFakeAPI(t, func(r *http.Request, b []byte) []string {
		sig, body = r.Header.Get("X-Hotline-Signature"), string(b)
		return nil
	})
	api.answer(replyJSON(http.StatusAccepted, `{"id":"gw-2002"}`))
	w := newTestWebhook(t, api.srv.URL+"/send", time.Second, webhookDocNow)
	id, err := w.Send(context.Background(), "+8613800138000", "您的工单已受理")
	if err != nil || id != "gw-2002" {
		t.Fatalf("Send = %q, %v", id, err)
	}
	if body != webhookDocSendBody || sig != webhookDocSendSig {
		t.Errorf("sent %s signed %s; the document says %s signed %s", body, sig, webhookDocSendBody, webhookDocSendSig)
	}
}

func TestWebhookSend(t *testing.T) {
	const text = "工单 <A&B> \"已受理\""
	now := time.Unix(1767225600, 0)
	api := newFakeAPI(t, checkWebhookRequest("+8613800138000", text, now))
	timeout := 300 * time.Millisecond
	w := newTestWebhook(t, api.srv.URL+"/send?token=url-token-9c1e", timeout, now)
	runSendCases(t, w, api, "+8613800138000", text, timeout, []string{webhookDocSecret, "url-token-9c1e"}, []sendCase{
		{name: "200", id: "m-1", reply: replyJSON(200, `{"id":"m-1"}`)},
		{name: "202", id: "m-2", reply: replyJSON(202, `{"id":"m-2","status":"queued"}`)},
		{name: "429", retryable: true, reply: replyJSON(429, `{"error":"slow down"}`)},
		{name: "400 quoting the text", retryable: false, reply: replyJSON(400, jsonOf(map[string]string{"error": "bad text " + text}))},
		{name: "404", retryable: false, reply: replyJSON(404, `not found`)},
		{name: "2xx without id", retryable: false, reply: replyJSON(200, `{}`)},
		{name: "2xx not JSON", retryable: false, reply: replyJSON(200, `ok`)},
		{name: "500", retryable: true, reply: replyJSON(500, `oops`)},
		{name: "503", retryable: true, reply: replyJSON(503, ``)},
		{name: "slow answer", retryable: true, reply: replySlowly},
	})

	api.srv.Close()
	_, err := w.Send(context.Background(), "+8613800138000", text)
	if !channels.Retryable(err) {
		t.Fatalf("closed server: %v, want retryable", err)
	}
	noSecretsIn(t, "closed server", err.Error(), []string{text, webhookDocSecret, "url-token-9c1e", "13800138000"})
}
