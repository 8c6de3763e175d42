package main

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestPacerSpacesSlotsFromTheStart(t *testing.T) {
	start := time.Now()
	p := newPacer(50, start)
	if got := p.due(10).Sub(start); got != 200*time.Millisecond {
		t.Fatalf("slot 10 due after %s, want 200ms", got)
	}
	for i := range 10 {
		if n := p.wait(context.Background()); n != int64(i) {
			t.Fatalf("wait returned slot %d, want %d", n, i)
		}
	}
	if took := time.Since(start); took < 180*time.Millisecond || took > 400*time.Millisecond {
		t.Fatalf("10 slots at 50/s took %s, want about 180ms", took)
	}
}

func TestPacerCatchesUpWhenLate(t *testing.T) {
	// Open loop: a caller 100 ms late gets the overdue slots at once.
	p := newPacer(100, time.Now().Add(-100*time.Millisecond))
	t0 := time.Now()
	for range 10 {
		p.wait(context.Background())
	}
	if d := time.Since(t0); d > 20*time.Millisecond {
		t.Fatalf("overdue slots took %s, want no wait", d)
	}
}

func TestPacerStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if n := newPacer(0.1, time.Now().Add(time.Hour)).wait(ctx); n != -1 {
		t.Fatalf("wait after cancel = %d, want -1", n)
	}
}

func TestPercentilesNearestRank(t *testing.T) {
	var l latencies
	for i := 100; i >= 1; i-- { // unsorted on purpose
		l = append(l, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {90, 90 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {0.1, time.Millisecond}} {
		if got := l.percentile(c.p); got != c.want {
			t.Errorf("p%v = %s, want %s", c.p, got, c.want)
		}
	}
	if got := (latencies{}).percentile(99); got != 0 {
		t.Errorf("p99 of nothing = %s", got)
	}
	one := latencies{7 * time.Millisecond}
	if s := one.summarize(); s.P50 != 7 || s.P99 != 7 || s.Max != 7 || s.Count != 1 {
		t.Errorf("summary of one sample = %+v", s)
	}
}

func TestLoopbackOnly(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080",
		"http://127.1.2.3", "https://LOCALHOST/base/", "http://[::ffff:127.0.0.1]:80"} {
		if _, err := checkLoopback(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://10.0.0.5:8080", "http://192.168.1.1", "http://example.com",
		"http://localhost.example.com", "http://0.0.0.0:8080", "http://[::]:8080", "http://[fe80::1%25lo]:80",
		"ftp://127.0.0.1", "127.0.0.1:8080", "http://128.0.0.1"} {
		_, err := checkLoopback(bad)
		if err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	_, err := parseTargets([]string{"http://127.0.0.1:1,http://10.1.1.1:2"})
	if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
		t.Errorf("a list with a remote target: %v, want it refused with the reason", err)
	}
	if _, err := loopbackListen("0.0.0.0:0"); err == nil {
		t.Error("a fake could listen on every interface")
	}
}

func TestMixSplitsSubscribers(t *testing.T) {
	m, err := parseMix("webchat=60,wechat=25,sms=15")
	if err != nil {
		t.Fatal(err)
	}
	got := split(m, 10)
	if got[chanWebchat] != 6 || got[chanWeChat]+got[chanSMS] != 4 || got[chanSMS] < 1 {
		t.Fatalf("split = %v", got)
	}
	for _, bad := range []string{"webchat=x", "fax=3", "webchat=0"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("mix %q accepted", bad)
		}
	}
}

func TestWeChatCipherRoundTrip(t *testing.T) {
	c, err := newWXCipher("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx00000000000000aa")
	if err != nil {
		t.Fatal(err)
	}
	enc, err := c.encrypt([]byte("<xml>你好</xml>"))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := c.decrypt(enc)
	if err != nil || string(plain) != "<xml>你好</xml>" {
		t.Fatalf("decrypt = %q, %v", plain, err)
	}
	other, _ := newWXCipher("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx00000000000000bb")
	if _, err := other.decrypt(enc); err == nil {
		t.Fatal("a reply for another appid was accepted")
	}
}

// Roles come in the shares asked for, rounded, whatever the seed.
func TestPickRoles_KeepTheShares(t *testing.T) {
	for seed := range uint64(50) {
		roles := pickRoles(rand.New(rand.NewPCG(seed, 1)), 9, 0.35, 0.3)
		count := map[string]int{}
		for _, r := range roles {
			count[r]++
		}
		if len(roles) != 9 || count[roleReporter] != 3 || count[roleCaller] != 3 || count[roleAsker] != 3 {
			t.Fatalf("seed %d: roles %v", seed, count)
		}
	}
}
