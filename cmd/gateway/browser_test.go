package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// requireChromium returns Chromium's path, or skips the test saying what to
// install; with HOTLINE_REQUIRE_SERVICES=1 (as in CI) it fails instead.
func requireChromium(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		const msg = "Chromium is needed for the browser tests: apt-get install -y chromium fonts-noto-cjk"
		if os.Getenv("HOTLINE_REQUIRE_SERVICES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path
}

// browser starts a headless Chromium with a window of the given size.
func browser(t *testing.T, width, height int) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(requireChromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// screenshotDir is where the browser tests leave their screenshots:
// HOTLINE_SCREENSHOT_DIR, or a temporary folder.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("HOTLINE_SCREENSHOT_DIR"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	// Let the newest bubble finish its fade-in before the picture.
	if err := chromedp.Do(ctx, chromedp.Sleep(400*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(screenshotDir(t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

const (
	connected = chromedp.CSS(`#conn[data-state="connected"]`)
	botText   = `#log .msg--bot .bubble .text`
)

// waitCount waits until the CSS selector matches at least n nodes.
func waitCount(sel string, n int) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`document.querySelectorAll('`+sel+`').length >= `+
		strconv.Itoa(n), chromedp.WithPollingTimeout(30*time.Second))
}

// evalString evaluates a JavaScript expression that gives a string.
func evalString(ctx context.Context, t *testing.T, expr string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func evalInt(ctx context.Context, t *testing.T, expr string) int {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// kill -9 in the middle of a conversation in a real browser on a phone-size
// screen: the tab reconnects by itself, keeps its history, and a question
// typed while the gateway was down is delivered and answered.
func TestBrowser_ChatSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary and a browser")
	}
	ctx := browser(t, 360, 740)
	dir := t.TempDir()
	addr := freeAddr(t)
	p := launch(t, nil, dir, addr)

	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile),
		chromedp.Navigate("http://"+addr+"/"),
		chromedp.WaitVisible(connected),
		chromedp.SendKeys(chromedp.CSS(`#input`), "话费余额怎么查"+kb.Enter),
		waitCount(botText, 1),
	)
	if err != nil {
		t.Fatalf("first question: %v", err)
	}
	first := evalString(ctx, t, `document.querySelector('`+botText+`').textContent`)
	if !strings.Contains(first, "余额") {
		t.Errorf("answer %q is not about the balance", first)
	}
	if w := evalInt(ctx, t, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the page is %d pixels wide on a 360-pixel screen: it scrolls sideways", w)
	}
	screenshot(t, ctx, "chat-360.png")

	p.kill()

	err = chromedp.Do(ctx,
		chromedp.WaitNotPresent(connected),
		chromedp.SendKeys(chromedp.CSS(`#input`), "宽带怎么移机"+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#log .msg--subscriber[data-status="sending"]`)),
	)
	if err != nil {
		t.Fatalf("typing while the gateway is down: %v", err)
	}
	screenshot(t, ctx, "chat-360-offline.png")

	launch(t, nil, dir, addr)
	err = chromedp.Do(ctx,
		chromedp.WaitVisible(connected),
		waitCount(botText, 2),
		waitCount(`#log .msg--subscriber[data-status="sent"]`, 2),
	)
	if err != nil {
		t.Fatalf("after restart: %v", err)
	}
	screenshot(t, ctx, "chat-360-resumed.png")

	// A reload shows the same conversation, once.
	err = chromedp.Do(ctx,
		chromedp.Reload(),
		chromedp.WaitVisible(connected),
		waitCount(botText, 2),
	)
	if err != nil {
		t.Fatalf("reload: %v", err)
	}
	subscriberMsgs := evalInt(ctx, t, `document.querySelectorAll('#log .msg--subscriber').length`)
	botMsgs := evalInt(ctx, t, `document.querySelectorAll('#log .msg--bot').length`)
	if subscriberMsgs != 2 || botMsgs != 2 {
		t.Errorf("after reload: %d subscriber and %d bot messages, want 2 and 2", subscriberMsgs, botMsgs)
	}
}

// The page works in English, at a desk-size screen, and by keyboard.
func TestBrowser_EnglishDesktopKeyboard(t *testing.T) {
	ctx := browser(t, 1280, 800)
	g := startGateway(t, t.TempDir(), nil)

	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate("http://"+g.addr+"/"),
		chromedp.WaitVisible(connected),
		chromedp.Click(chromedp.CSS(`#lang-btn`)),
		chromedp.WaitVisible(connected),
		// Keyboard only: focus the box, type, send with Enter.
		chromedp.Focus(chromedp.CSS(`#input`)),
		chromedp.KeyEvent("how do I check my balance"),
		chromedp.KeyEvent(kb.Enter),
		waitCount(botText, 1),
	)
	if err != nil {
		t.Fatal(err)
	}
	lang := evalString(ctx, t, `document.documentElement.lang`)
	sendLabel := evalString(ctx, t, `document.querySelector('#send-btn').textContent.trim()`)
	logRole := evalString(ctx, t, `document.querySelector('#log').getAttribute('role')`)
	inputLabel := evalString(ctx, t, `document.querySelector('label[for=input]').textContent`)
	focused := evalString(ctx, t, `document.activeElement.id`)
	if lang != "en" || sendLabel != "Send" {
		t.Errorf("after the switch: lang %q, send button %q; want en and Send", lang, sendLabel)
	}
	if logRole != "log" || strings.TrimSpace(inputLabel) == "" {
		t.Errorf("log role %q, input label %q: screen readers need both", logRole, inputLabel)
	}
	if focused != "input" {
		t.Errorf("focus moved to %q after sending; it should stay in the input", focused)
	}

	// Every button has a name a screen reader can say.
	unnamed := evalInt(ctx, t, `[...document.querySelectorAll('button')]
		.filter(b => !b.hidden && !(b.textContent.trim() || b.getAttribute('aria-label'))).length`)
	if unnamed != 0 {
		t.Errorf("%d buttons without an accessible name", unnamed)
	}
	screenshot(t, ctx, "chat-1280-en.png")
}

// When the bot is unsure it offers the closest questions as buttons;
// pressing one answers it.
func TestBrowser_SuggestionButtons(t *testing.T) {
	ctx := browser(t, 360, 740)
	g := startGateway(t, t.TempDir(), nil)

	const buttons = `#log .msg--bot .quick-replies button`
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile),
		chromedp.Navigate("http://"+g.addr+"/"),
		chromedp.WaitVisible(connected),
		chromedp.WaitVisible(chromedp.CSS(`#welcome`)),
	)
	if err != nil {
		t.Fatalf("first visit: %v", err)
	}
	screenshot(t, ctx, "chat-360-welcome.png")

	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#input`), "流量"+kb.Enter),
		waitCount(buttons, 2),
	)
	if err != nil {
		t.Fatalf("unsure question: %v", err)
	}
	labels := evalString(ctx, t, `[...document.querySelectorAll('`+buttons+`')].map(b => b.textContent).join('|')`)
	if !strings.Contains(labels, "流量") || !strings.Contains(labels, "以上都不是") {
		t.Errorf("buttons %q: want the closest questions and a way out", labels)
	}
	screenshot(t, ctx, "chat-360-suggestions.png")

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(buttons)),
		waitCount(botText, 2),
	)
	if err != nil {
		t.Fatalf("pressing a suggestion: %v", err)
	}
	last := evalString(ctx, t, `[...document.querySelectorAll('`+botText+`')].pop().textContent`)
	if !strings.Contains(last, "流量") {
		t.Errorf("the answer to the chosen question is %q", last)
	}
}
