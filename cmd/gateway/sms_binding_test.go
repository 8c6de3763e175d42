package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var sixDigits = regexp.MustCompile(`\d{6}`)

// wechatFault reports a broadband fault as a WeChat follower and returns
// the ticket number.
func wechatFault(t *testing.T, f follower, id *int64) string {
	t.Helper()
	next := func(text string) string {
		*id++
		return f.say(text, *id)
	}
	wechatFaultSummary(t, next)
	done := next("确认")
	tk := ticketNumber.FindString(done)
	if tk == "" {
		t.Fatalf("no ticket number in %q", done)
	}
	return tk
}

// A WeChat follower binds their number by a code sent by SMS: the ticket
// they opened on WeChat is then theirs by SMS too, and when WeChat's
// window has closed its notice comes by SMS.
func TestSMS_BindWeChatFollowerByCode(t *testing.T) {
	api := newTwilioAPI(t)
	clock := &movableClock{at: time.Now()}
	env := twilioEnv(wechatEnv(ticketEnv(nil)), api)
	g := startGatewayWith(t, Options{
		Args:   []string{"-config", testConfig(t), "-addr", "127.0.0.1:0", "-data", t.TempDir()},
		Getenv: func(k string) string { return env[k] },
		Clock:  clock,
	})
	f := follower{t: t, addr: g.addr, openID: "oWX-bind-0001"}
	id := int64(7000)
	say := func(text string) string { id++; return f.say(text, id) }
	tk := wechatFault(t, f, &id)

	const phone = "+8613800138000"
	if r := say("绑定手机"); !strings.Contains(r, "手机号码") {
		t.Fatalf("binding: %q", r)
	}
	if r := say("12345"); !strings.Contains(r, "无法绑定") {
		t.Fatalf("a bad number: %q", r)
	}
	if r := say("138 0013 8000"); !strings.Contains(r, "+86138****8000") {
		t.Fatalf("code sent: %q", r)
	}
	texts := api.to(phone)
	if len(texts) != 1 || !sixDigits.MatchString(texts[0]) {
		t.Fatalf("the code SMS: %q", texts)
	}
	code := sixDigits.FindString(texts[0])
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if r := say(wrong); !strings.Contains(r, "不正确") {
		t.Fatalf("a wrong code: %q", r)
	}
	if r := say("138 0013 8000"); !strings.Contains(r, "不正确") {
		t.Fatalf("while a code is pending, text is a try: %q", r)
	}
	if r := say(code); !strings.Contains(r, "绑定成功") {
		t.Fatalf("the right code: %q", r)
	}
	if strings.Contains(g.logs.String(), code) {
		t.Fatal("the code reached the logs")
	}

	x := &texter{t: t, addr: g.addr, phone: phone, api: api}
	if got := x.text("CX"); len(got) != 1 || !strings.Contains(got[0], tk) {
		t.Fatalf("by SMS the number's tickets are %q, want %s from WeChat", got, tk)
	}

	// Two days later WeChat would refuse a customer-service message: the
	// ticket's notice goes by SMS instead.
	clock.advance(49 * time.Hour)
	before := len(api.to(phone))
	if st, body := newAPI(t, g).call("PATCH", "/tickets/"+tk, map[string]any{"status": "in_progress"}, "bind-1"); st != 200 {
		t.Fatalf("PATCH: %d %v", st, body)
	}
	got := x.awaitAfter(before)
	if len(got) != 1 || !strings.Contains(got[0], tk) {
		t.Fatalf("the notice by SMS: %q", got)
	}
	for _, s := range wechatAPI().sentTo(f.openID) {
		if strings.Contains(s, tk) && strings.Contains(s, "处理") {
			t.Fatalf("WeChat was sent the notice after its window closed: %q", s)
		}
	}
}
