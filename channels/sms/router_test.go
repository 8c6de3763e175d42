package sms

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// jsonCase is one callback through the real router to a JSON provider.
type jsonCase struct {
	name   string
	path   string
	header http.Header
	body   string
	status int
	reply  string   // the exact response body, for acknowledgements
	texts  []string // what reaches the dialog by then, in order
}

// runJSONCases posts the cases in order to one channel; each case's
// texts are everything that reached the dialog so far.
func runJSONCases(t *testing.T, p Provider, tweak func(*Config), cases []jsonCase) {
	t.Helper()
	r := newRig(t, func(string) Provider { return p }, tweak)
	for _, tc := range cases {
		status, body := r.post(tc.path, tc.header, tc.body)
		if status != tc.status || (tc.reply != "" && body != tc.reply) {
			t.Fatalf("%s: got %d %q, want %d %q", tc.name, status, body, tc.status, tc.reply)
		}
		var got []string
		for _, in := range r.recv.inbound() {
			got = append(got, in.Text)
		}
		if strings.Join(got, "|") != strings.Join(tc.texts, "|") {
			t.Fatalf("%s: the dialog got %q, want %q", tc.name, got, tc.texts)
		}
	}
}

func jsonHeader() http.Header { return http.Header{"Content-Type": {"application/json"}} }

func TestRouter_Aliyun(t *testing.T) {
	p, err := NewAliyun(AliyunConfig{AccessKeyID: "testId", AccessKeySecret: "testSecret", SignName: "中国电信",
		TemplateCode: "SMS_1", APIURL: "http://127.0.0.1:9"})
	if err != nil {
		t.Fatal(err)
	}
	ack := `{"code":0,"msg":"接收成功"}`
	up := `[{"phone_number":"13800138000","content":"宽带断了","send_time":"2026-12-04 10:00:00","dest_code":"1","sequence_id":"501"},` +
		`{"phone_number":"13900139000","content":"CX","send_time":"20261204100001","sequence_id":502}]`
	runJSONCases(t, p, func(c *Config) {
		c.PathToken = "tok-1"
		c.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	}, []jsonCase{
		{"no token", "/sms/tw/inbound", jsonHeader(), up, 403, "", nil},
		{"a wrong token", "/sms/tw/inbound/tok-2", jsonHeader(), up, 403, "", nil},
		{"two messages in one push", "/sms/tw/inbound/tok-1", jsonHeader(), up, 200, ack, []string{"宽带断了", "CX"}},
		{"Alibaba's retry", "/sms/tw/inbound/tok-1", jsonHeader(), up, 200, ack, []string{"宽带断了", "CX"}},
		{"not an array", "/sms/tw/inbound/tok-1", jsonHeader(), `{"phone_number":"13800138000"}`, 400, "", []string{"宽带断了", "CX"}},
		{"no sequence_id", "/sms/tw/inbound/tok-1", jsonHeader(), `[{"phone_number":"13800138000","content":"x"}]`, 400, "", []string{"宽带断了", "CX"}},
		{"invalid UTF-8", "/sms/tw/inbound/tok-1", jsonHeader(), "[{\"phone_number\":\"13800138000\",\"content\":\"\xff\",\"sequence_id\":\"9\"}]", 400, "", []string{"宽带断了", "CX"}},
		{"too large", "/sms/tw/inbound/tok-1", jsonHeader(), "[" + strings.Repeat(" ", 70<<10) + "]", 413, "", []string{"宽带断了", "CX"}},
		{"a report", "/sms/tw/status/tok-1", jsonHeader(), `[{"phone_number":"13800138000","success":true,"err_code":"DELIVERED","biz_id":"1","report_time":"2026-12-04 10:00:05"}]`, 200, ack, []string{"宽带断了", "CX"}},
	})

	// From an address outside the allowlist.
	runJSONCases(t, p, func(c *Config) {
		c.PathToken = "tok-1"
		c.Allow = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	}, []jsonCase{{"a source outside the allowlist", "/sms/tw/inbound/tok-1", jsonHeader(), up, 403, "", nil}})
}

func TestRouter_Tencent(t *testing.T) {
	p, err := NewTencent(TencentConfig{SecretID: "id", SecretKey: "key", SdkAppID: "1400000000", TemplateID: "1",
		APIURL: "http://127.0.0.1:9"})
	if err != nil {
		t.Fatal(err)
	}
	ack := `{"result":0,"errmsg":"OK"}`
	one := `{"extend":"","mobile":"13800138000","nationcode":"86","sign":"中国电信","text":"查询","time":1764813600}`
	two := `[{"mobile":"13800138000","nationcode":"86","text":"你好","time":1764813601},` +
		`{"mobile":"13900139000","nationcode":"86","text":"你好","time":1764813601}]`
	runJSONCases(t, p, func(c *Config) { c.PathToken = "tok-1" }, []jsonCase{
		{"one reply", "/sms/tw/inbound/tok-1", jsonHeader(), one, 200, ack, []string{"查询"}},
		{"Tencent's retry", "/sms/tw/inbound/tok-1", jsonHeader(), one, 200, ack, []string{"查询"}},
		{"an array", "/sms/tw/inbound/tok-1", jsonHeader(), two, 200, ack, []string{"查询", "你好", "你好"}},
		{"no mobile", "/sms/tw/inbound/tok-1", jsonHeader(), `{"text":"x","time":1}`, 400, "", []string{"查询", "你好", "你好"}},
		{"not JSON", "/sms/tw/inbound/tok-1", jsonHeader(), `text=x`, 400, "", []string{"查询", "你好", "你好"}},
		{"a report", "/sms/tw/status/tok-1", jsonHeader(), `[{"mobile":"13800138000","nationcode":"86","report_status":"SUCCESS","errmsg":"DELIVRD","sid":"s1"}]`, 200, ack, []string{"查询", "你好", "你好"}},
	})
}

func TestRouter_Webhook(t *testing.T) {
	secret := []byte("hook-secret")
	p, err := NewWebhook(WebhookConfig{Secret: secret, SendURL: "http://127.0.0.1:9/send"})
	if err != nil {
		t.Fatal(err)
	}
	signed := func(body string, at time.Time) http.Header {
		ts := fmt.Sprint(at.Unix())
		return http.Header{"Content-Type": {"application/json"}, webhookTimestampHeader: {ts},
			webhookSignatureHeader: {webhookSignature(secret, ts, []byte(body))}}
	}
	ack := `{"ok":true}`
	msgs := `[{"id":"g1","from":"+8613800138000","text":"营业厅几点开门"},{"id":"g2","from":"13900139000","text":"TD"}]`
	runJSONCases(t, p, nil, []jsonCase{
		{"unsigned", "/sms/tw/inbound", jsonHeader(), msgs, 403, "", nil},
		{"signed an hour ago", "/sms/tw/inbound", signed(msgs, time.Now().Add(-time.Hour)), msgs, 403, "", nil},
		{"signed over other bytes", "/sms/tw/inbound", signed(msgs+" ", time.Now()), msgs, 403, "", nil},
		{"a keyword and a message", "/sms/tw/inbound", signed(msgs, time.Now()), msgs, 200, ack, []string{"营业厅几点开门"}},
		{"the gateway's retry", "/sms/tw/inbound", signed(msgs, time.Now()), msgs, 200, ack, []string{"营业厅几点开门"}},
		{"a path token it does not have", "/sms/tw/inbound/x", signed(msgs, time.Now()), msgs, 404, "", []string{"营业厅几点开门"}},
	})
}
