package sms

import (
	"context"
	"errors"
	"regexp"
	"sync"
	"testing"
	"time"
)

// memBinds is the BindStore in memory.
type memBinds struct {
	mu     sync.Mutex
	phones map[string]string
}

func (m *memBinds) Bind(_ context.Context, sub, phone, _, _ string, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.phones[sub] = phone
	return nil
}

func (m *memBinds) PhoneOf(_ context.Context, sub string) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.phones[sub]
	return p, ok, nil
}

var codePattern = regexp.MustCompile(`\d{6}`)

func TestBinder_Limits(t *testing.T) {
	api := newFakeTwilio(t)
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	move := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	r := newRig(t, twilioProvider(t, api.srv.URL), func(c *Config) { c.Now = clock })
	b := NewBinder(r.ch, &memBinds{phones: map[string]string{}})
	ctx := context.Background()
	code := func() string { s := api.sends(); return codePattern.FindString(s[len(s)-1].Get("Body")) }

	if _, err := b.SendCode(ctx, "c1", "12345"); !errors.Is(err, ErrBadPhone) {
		t.Fatalf("a bad number: %v", err)
	}
	masked, err := b.SendCode(ctx, "c1", "13800138000")
	if err != nil || masked != "+86138****8000" {
		t.Fatalf("send: %q %v", masked, err)
	}
	first := code()
	if _, err := b.SendCode(ctx, "c2", "+86 138 0013 8000"); !errors.Is(err, ErrBindLimited) {
		t.Fatalf("a second code to the number within a minute: %v", err)
	}

	// Expiry: a code older than five minutes is refused.
	move(6 * time.Minute)
	if _, _, err := b.CheckCode(ctx, "c1", "wechat", "o1", first); !errors.Is(err, ErrBindCode) {
		t.Fatalf("an expired code: %v", err)
	}

	// Tries: five wrong codes end the code.
	if _, err := b.SendCode(ctx, "c1", "13800138000"); err != nil {
		t.Fatal(err)
	}
	right := code()
	for i := range CodeTries {
		_, _, err := b.CheckCode(ctx, "c1", "wechat", "o1", "99999"+string(rune('0'+i)))
		if i < CodeTries-1 && !errors.Is(err, ErrBindCode) || i == CodeTries-1 && !errors.Is(err, ErrBindLimited) {
			t.Fatalf("wrong try %d: %v", i+1, err)
		}
	}
	if _, _, err := b.CheckCode(ctx, "c1", "wechat", "o1", right); !errors.Is(err, ErrBindCode) {
		t.Fatalf("the code must be gone after five wrong tries: %v", err)
	}

	// A right code binds; it works once.
	move(2 * time.Minute)
	if _, err := b.SendCode(ctx, "c1", "13800138000"); err != nil {
		t.Fatal(err)
	}
	right = code()
	sub, masked, err := b.CheckCode(ctx, "c1", "wechat", "o1", " "+right+" ")
	if err != nil || sub == "" || masked != "+86138****8000" {
		t.Fatalf("bind: %q %q %v", sub, masked, err)
	}
	if phone, ok, _ := b.PhoneOf(ctx, sub); !ok || phone != "+8613800138000" {
		t.Fatalf("bound %q %v", phone, ok)
	}
	if _, _, err := b.CheckCode(ctx, "c1", "wechat", "o1", right); !errors.Is(err, ErrBindCode) {
		t.Fatalf("a used code: %v", err)
	}

	// Five codes an hour for a number, and for a conversation.
	for i := range 2 {
		move(2 * time.Minute)
		if _, err := b.SendCode(ctx, "c9", "13800138000"); err != nil {
			t.Fatalf("code %d: %v", i+4, err)
		}
	}
	move(2 * time.Minute)
	if _, err := b.SendCode(ctx, "c9", "13800138000"); !errors.Is(err, ErrBindLimited) {
		t.Fatalf("a sixth code in an hour: %v", err)
	}
	for _, n := range []string{"13900139001", "13900139002", "13900139003", "13900139004", "13900139005", "13900139006"} {
		_, err := b.SendCode(ctx, "c10", n)
		if n != "13900139006" && err != nil || n == "13900139006" && !errors.Is(err, ErrBindLimited) {
			t.Fatalf("conversation limit at %s: %v", n, err)
		}
	}
	if len(api.sends()) == 0 || codePattern.FindString(r.logs.String()) != "" {
		t.Fatal("a code reached the log")
	}
}

// Two binders (two instances) sharing a CodeStore: a code sent by one is
// checked by the other, and the limits count the codes of both.
func TestBinder_SharedCodes(t *testing.T) {
	api := newFakeTwilio(t)
	codes, binds := NewMemCodes(), &memBinds{phones: map[string]string{}}
	tune := func(c *Config) { c.Codes = codes }
	one := NewBinder(newRig(t, twilioProvider(t, api.srv.URL), tune).ch, binds)
	two := NewBinder(newRig(t, twilioProvider(t, api.srv.URL), tune).ch, binds)
	ctx := context.Background()

	if _, err := one.SendCode(ctx, "c1", "13800138000"); err != nil {
		t.Fatal(err)
	}
	if _, err := two.SendCode(ctx, "c2", "13800138000"); !errors.Is(err, ErrBindLimited) {
		t.Fatalf("a second code to the number within a minute, from the other: %v", err)
	}
	s := api.sends()
	code := codePattern.FindString(s[len(s)-1].Get("Body"))
	sub, masked, err := two.CheckCode(ctx, "c1", "webchat", "w1", code)
	if err != nil || sub == "" || masked != "+86138****8000" {
		t.Fatalf("the code on the other: %q %q %v", sub, masked, err)
	}
	if _, _, err := one.CheckCode(ctx, "c1", "webchat", "w1", code); !errors.Is(err, ErrBindCode) {
		t.Fatalf("the code used on the other, again on the first: %v", err)
	}
}
