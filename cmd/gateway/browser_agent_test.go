package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// consoleText is the text of the agent console's transcript.
const consoleText = `document.querySelector('#transcript').textContent`

// A subscriber in the chat page on a phone and an agent in the console at
// a desk talk end to end: the agent signs in and goes ready, gets the
// conversation routed with the subscriber's words, sees a phone number
// masked and reveals it, replies, writes a note the subscriber never sees,
// and closes with a wrap-up; the subscriber gets the rating buttons.
func TestBrowser_SubscriberAndAgent(t *testing.T) {
	agentTab := browser(t, 1280, 860)
	g := startDesk(t, nil, liNa)

	err := chromedp.Do(agentTab,
		chromedp.Navigate("http://"+g.addr+"/agent/"),
		chromedp.WaitVisible(chromedp.CSS(`#signin-form`)),
	)
	if err != nil {
		t.Fatalf("open the console: %v", err)
	}
	screenshot(t, agentTab, "console-1280-signin.png")
	err = chromedp.Do(agentTab,
		chromedp.SendKeys(chromedp.CSS(`#signin-name`), "li.na"),
		chromedp.SendKeys(chromedp.CSS(`#signin-password`), testPassword+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#console`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('#conn').dataset.state === 'connected'`,
			chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.SetValue(chromedp.CSS(`#state-select`), "ready"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#state-select').dispatchEvent(new Event('change', {bubbles: true}))`),
	)
	if err != nil {
		t.Fatalf("sign in and go ready: %v", err)
	}

	subTab, cancel := chromedp.NewContext(agentTab)
	defer cancel()
	err = chromedp.Do(subTab,
		chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile),
		chromedp.Navigate("http://"+g.addr+"/"),
		chromedp.WaitVisible(connected),
		chromedp.SendKeys(chromedp.CSS(`#input`), "转人工"+kb.Enter),
		chromedp.Poll[chromedp.Void](`document.querySelector('#log').textContent.includes('李娜')`,
			chromedp.WithPollingTimeout(20*time.Second)),
	)
	if err != nil {
		t.Fatalf("subscriber asks for a person: %v", err)
	}

	waitJS(t, agentTab, `document.querySelectorAll('#mine-list li').length === 1 && `+consoleText+`.includes('转人工')`,
		"the routed conversation in the console")
	sendSubscriber(t, subTab, "我的号码是13812345678，宽带断了")
	waitJS(t, agentTab, consoleText+`.includes('138****5678')`, "the subscriber's message, masked, in the console")
	if strings.Contains(evalString(agentTab, t, consoleText), "13812345678") {
		t.Fatal("the console shows the number unmasked before a reveal")
	}
	screenshot(t, agentTab, "console-1280-conversation.png")

	err = chromedp.Do(agentTab, chromedp.Click(chromedp.CSS(`#transcript .reveal-btn`)))
	if err != nil {
		t.Fatalf("reveal: %v", err)
	}
	waitJS(t, agentTab, consoleText+`.includes('13812345678')`, "the revealed number")

	// A canned reply goes into the composer with the agent's name filled
	// in, and the agent adds to it before sending.
	picked := evalString(agentTab, t, `(() => { const s = document.querySelector('#canned-select');
		s.value = 'greet.zh'; s.dispatchEvent(new Event('change', {bubbles: true}));
		return [...s.options].map(o => o.value).join(' '); })()`)
	if !strings.Contains(picked, "greet.zh") {
		t.Fatalf("canned replies offered: %q", picked)
	}
	if v := evalString(agentTab, t, `document.querySelector('#composer-input').value`); !strings.Contains(v, "我是客服李娜") {
		t.Fatalf("composer after the canned reply = %q", v)
	}
	err = chromedp.Do(agentTab,
		chromedp.SendKeys(chromedp.CSS(`#composer-input`), "马上为您查询线路"+kb.Enter))
	if err != nil {
		t.Fatalf("agent replies: %v", err)
	}
	waitJS(t, subTab, `[...document.querySelectorAll('#log .msg--agent')].some(m => m.textContent.includes('马上为您查询线路'))`,
		"the agent's reply in the chat page")
	screenshot(t, subTab, "chat-360-with-agent.png")

	err = chromedp.Do(agentTab,
		chromedp.Click(chromedp.CSS(`#note-toggle`)),
		chromedp.SendKeys(chromedp.CSS(`#composer-input`), "内部备注：线路待查"+kb.Enter),
	)
	if err != nil {
		t.Fatalf("agent writes a note: %v", err)
	}
	waitJS(t, agentTab, `document.querySelector('#notes-list').textContent.includes('线路待查')`, "the note in the console")
	screenshot(t, agentTab, "console-1280-note.png")

	err = chromedp.Do(agentTab,
		chromedp.Click(chromedp.CSS(`#close-btn`)),
		chromedp.WaitVisible(chromedp.CSS(`#close-dialog`)),
		chromedp.SetValue(chromedp.CSS(`#close-code`), "resolved"),
		chromedp.SendKeys(chromedp.CSS(`#close-summary`), "线路已恢复"),
	)
	if err != nil {
		t.Fatalf("open the wrap-up: %v", err)
	}
	screenshot(t, agentTab, "console-1280-wrapup.png")
	if err := chromedp.Do(agentTab, chromedp.Click(chromedp.CSS(`#close-submit`))); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := chromedp.Do(subTab, waitCount(quickButtons, 5)); err != nil {
		t.Fatalf("the rating buttons did not reach the subscriber: %v", err)
	}
	if strings.Contains(evalString(subTab, t, `document.querySelector('#log').textContent`), "线路待查") {
		t.Fatal("the internal note reached the subscriber")
	}
	screenshot(t, subTab, "chat-360-rating.png")
	waitJS(t, agentTab, `document.querySelectorAll('#mine-list li').length === 0`, "the closed conversation gone from the console")

	// The console on a phone-size screen.
	err = chromedp.Do(agentTab, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	if err != nil {
		t.Fatal(err)
	}
	if w := evalInt(agentTab, t, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the console is %d px wide on a 360 px screen", w)
	}
	screenshot(t, agentTab, "console-360.png")

	// And in English.
	if err := chromedp.Do(agentTab, chromedp.Click(chromedp.CSS(`#lang-btn`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, agentTab, `document.documentElement.lang === 'en' && document.querySelector('#tab-queue').textContent.trim() !== '队列'`,
		"the console in English")
	screenshot(t, agentTab, "console-360-en.png")
}

// sendSubscriber types a message in the chat page.
func sendSubscriber(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#input`), text+kb.Enter)); err != nil {
		t.Fatalf("type %q: %v", text, err)
	}
}

// waitJS waits until a JavaScript condition holds.
func waitJS(t *testing.T, ctx context.Context, cond, what string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}
