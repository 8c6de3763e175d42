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

// A supervisor at a desk, in English, sees the queue in priority order
// (a complaint ahead of an earlier request) and the roster. Going ready,
// routing gives them the request (every agent serves the queue of no
// group) but not the complaint (not their group), which they take with
// the keyboard alone.
func TestBrowser_SupervisorQueueByKeyboard(t *testing.T) {
	tab := browser(t, 1280, 860)
	boss := testAgent{id: "boss", name: "王班长", role: "supervisor", max: 2}
	g := startDesk(t, nil, boss, testAgent{id: "solo", name: "张伟", role: "agent", max: 1})

	// The only agent is busy with a first subscriber, so the next two wait.
	solo := openConsole(t, g.addr, "solo")
	solo.ready()
	first := dial(t, g.addr, nil)
	first.hello("", "")
	first.send(map[string]string{"type": "message", "client_id": "a", "text": "转人工"})
	solo.want("assigned", nil)
	asker := dial(t, g.addr, nil)
	asker.hello("", "")
	asker.send(map[string]string{"type": "message", "client_id": "b", "text": "转人工"})
	complainer := dial(t, g.addr, nil)
	complainer.hello("", "")
	complainer.ask("c1", "我要投诉")
	complainer.send(map[string]string{"type": "message", "client_id": "c2", "payload": "agent:complaint", "text": "转人工"})
	// Only a supervisor sees the complaints group's queue.
	openConsole(t, g.addr, "boss").want("queue", func(f aframe) bool { return len(f.Entries) == 2 })

	err := chromedp.Do(tab,
		chromedp.Navigate("http://"+g.addr+"/agent/"),
		chromedp.WaitVisible(chromedp.CSS(`#signin-form`)),
		chromedp.Click(chromedp.CSS(`#lang-btn`)),
		chromedp.SendKeys(chromedp.CSS(`#signin-name`), "boss"),
		chromedp.SendKeys(chromedp.CSS(`#signin-password`), testPassword+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#console`)),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	waitJS(t, tab, `document.querySelectorAll('#queue-list li').length === 2 && document.querySelector('#agents-list').textContent.includes('张伟')`,
		"the queue and the roster")
	firstItem := evalString(tab, t, `document.querySelector('#queue-list li').textContent`)
	if !strings.Contains(strings.ToLower(firstItem), "complaint") {
		t.Fatalf("first in the queue: %q, want the complaint", firstItem)
	}
	screenshot(t, tab, "console-1280-supervisor-en.png")

	// Ready, then the complaint's accept button by keyboard.
	err = chromedp.Do(tab,
		chromedp.Focus(chromedp.CSS(`#state-select`)),
		chromedp.SetValue(chromedp.CSS(`#state-select`), "ready"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#state-select').dispatchEvent(new Event('change', {bubbles: true}))`),
	)
	if err != nil {
		t.Fatalf("go ready: %v", err)
	}
	// Going ready redraws the lists; focus the button once they settled.
	waitJS(t, tab, `document.querySelectorAll('#mine-list li').length === 1 && document.querySelectorAll('#queue-list li').length === 1`,
		"the request routed to the supervisor")
	err = chromedp.Do(tab,
		chromedp.Sleep(300*time.Millisecond),
		chromedp.Focus(chromedp.CSS(`#queue-list li .accept-btn`)),
		chromedp.KeyEvent(kb.Enter),
	)
	if err != nil {
		t.Fatalf("accept by keyboard: %v", err)
	}
	waitJS(t, tab, `document.querySelectorAll('#mine-list li').length === 2 && document.querySelectorAll('#queue-list li').length === 0`,
		"the complaint taken")
	if joined := complainer.next("system"); !strings.Contains(joined.Text, "王班长") {
		t.Fatalf("the complainer was told %q", joined.Text)
	}
	screenshot(t, tab, "console-1280-supervisor-accepted.png")
}
