package console

import (
	"testing"
	"time"

	"hotline/dialog"
	"hotline/handoff"
)

// Five failures from one address within a minute make it wait out the
// minute; other addresses are not affected.
func TestSigninLimits(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	l := newSigninLimits(func() time.Time { return now })
	for range signinFailures {
		if _, ok := l.allowed("10.0.0.1"); !ok {
			t.Fatal("refused before the limit")
		}
		l.failed("10.0.0.1")
		now = now.Add(time.Second)
	}
	wait, ok := l.allowed("10.0.0.1")
	if ok || wait <= 0 || wait > signinWindow {
		t.Fatalf("after %d failures: allowed %v, wait %v", signinFailures, ok, wait)
	}
	if _, ok := l.allowed("10.0.0.2"); !ok {
		t.Fatal("another address was refused")
	}
	now = now.Add(signinWindow)
	if _, ok := l.allowed("10.0.0.1"); !ok {
		t.Fatal("still refused after the window")
	}
}

// A socket may send a burst, then frames at the rate.
func TestTokenBucket(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	b := tokenBucket{rate: 10, burst: 20}
	passed := 0
	for range 30 {
		if b.take(now) {
			passed++
		}
	}
	if passed != 20 {
		t.Fatalf("burst passed %d, want 20", passed)
	}
	if !b.take(now.Add(150 * time.Millisecond)) {
		t.Fatal("a frame after the refill was refused")
	}
}

// Numbers are masked in messages and details; an agent's reply carries
// the console's id for it.
func TestFramesMask(t *testing.T) {
	m := newMessageFrame(dialog.Message{ID: "m1", From: dialog.FromAgent, Text: "回拨13812345678",
		ProviderID: "agent-msg:li.na:c-42"})
	if m.Text != "回拨138****5678" || m.Masked != 1 || m.ClientID != "c-42" {
		t.Fatalf("message frame = %+v", m)
	}
	sub := newMessageFrame(dialog.Message{ID: "m2", From: dialog.FromSubscriber, Text: "hi", ProviderID: "wx-1"})
	if sub.ClientID != "" {
		t.Fatalf("a subscriber's message got a client id: %+v", sub)
	}
	cases := map[string]string{"13812345678": "138****5678", "朝阳区建国路88号": "朝阳区******", "海淀区某某": "海***某", "ab": "**"}
	for in, want := range cases {
		if got := newDetailFrame(handoff.Detail{Key: "k", Value: in, Sensitive: true}).Value; got != want {
			t.Errorf("detail %q shown as %q, want %q", in, got, want)
		}
	}
	if got := newDetailFrame(handoff.Detail{Key: "k", Value: "海淀"}).Value; got != "海淀" {
		t.Errorf("a detail that is not sensitive was masked: %q", got)
	}
}
