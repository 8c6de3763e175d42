package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// quickButtons are the quick replies on the latest message.
const quickButtons = `#log .quick-replies button`

// A fault report on a phone-size screen: typed answers and quick-reply
// buttons, the summary to confirm, the ticket number, and later the
// resolution notice whose rating buttons work from the keyboard.
func TestBrowser_FaultReportAndRating(t *testing.T) {
	ctx := browser(t, 360, 740)
	g := startGateway(t, t.TempDir(), ticketEnv(nil))
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile),
		chromedp.Navigate("http://"+g.addr+"/"),
		chromedp.WaitVisible(connected),
	)
	if err != nil {
		t.Fatalf("open the page: %v", err)
	}

	typeAndWait(ctx, t, "家里宽带断了", "宽带账号")
	typeAndWait(ctx, t, "ad12345678", "哪个区")
	screenshot(t, ctx, "form-360-area.png")
	pressAndWait(ctx, t, "朝阳区", "详细地址")
	last := typeAndWait(ctx, t, "朝阳区建国路88号3单元502", "")
	if strings.Contains(last, "什么时候开始") {
		pressAndWait(ctx, t, "今天", "电话")
	}
	typeAndWait(ctx, t, "13812345678", "什么时间方便")
	summary := pressAndWait(ctx, t, "下午", "请核对")
	for _, want := range []string{"ad12345678", "朝阳区建国路88号3单元502", "13812345678", "下午"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q lacks %q", summary, want)
		}
	}
	screenshot(t, ctx, "form-360-summary.png")

	opened := pressAndWait(ctx, t, "确认提交", "工单号")
	id := ticketIDIn.FindString(opened)
	if id == "" {
		t.Fatalf("no ticket number in %q", opened)
	}
	screenshot(t, ctx, "form-360-ticket.png")

	api := newAPI(t, g)
	if status, body := api.call("PATCH", "/tickets/"+id,
		map[string]any{"status": "resolved", "resolution": "已更换光猫，恢复上网"}, ""); status != 200 {
		t.Fatalf("resolve: %d %v", status, body)
	}
	if err := chromedp.Do(ctx, waitCount(quickButtons, 5)); err != nil {
		t.Fatalf("the rating buttons did not appear: %v", err)
	}
	notice := lastMessage(ctx, t)
	if !strings.Contains(notice, "已更换光猫") {
		t.Errorf("resolution notice %q lacks the resolution", notice)
	}
	screenshot(t, ctx, "form-360-rating.png")

	// The first rating button (5) is reached and pressed with the keyboard.
	err = chromedp.Do(ctx,
		chromedp.Focus(chromedp.CSS(quickButtons)),
		chromedp.KeyEvent(kb.Enter),
		chromedp.Poll[chromedp.Void](`[...document.querySelectorAll('#log .msg')].pop().textContent.includes('感谢')`),
	)
	if err != nil {
		t.Fatalf("rating from the keyboard: %v", err)
	}
	if _, tk := api.call("GET", "/tickets/"+id, nil, ""); tk["rating"] != float64(5) {
		t.Errorf("rating on the ticket = %v, want 5", tk["rating"])
	}
	screenshot(t, ctx, "form-360-rated.png")
}

// messages counts the messages shown.
const messageCount = `document.querySelectorAll('#log .msg:not(.msg--subscriber)').length`

// typeAndWait types text, sends it, waits for the bot's next message and
// checks it contains want (when set). It returns that message.
func typeAndWait(ctx context.Context, t *testing.T, text, want string) string {
	t.Helper()
	n := evalInt(ctx, t, messageCount)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#input`), text+kb.Enter)); err != nil {
		t.Fatalf("type %q: %v", text, err)
	}
	return nextMessage(ctx, t, n, text, want)
}

// pressAndWait clicks the quick reply labelled label and waits as
// typeAndWait does.
func pressAndWait(ctx context.Context, t *testing.T, label, want string) string {
	t.Helper()
	n := evalInt(ctx, t, messageCount)
	js := `(() => { const b = [...document.querySelectorAll('` + quickButtons + `')]
		.find(b => b.textContent.trim() === ` + strconv.Quote(label) + `);
		if (!b) return false; b.click(); return true; })()`
	if !evalBool(ctx, t, js) {
		t.Fatalf("no quick reply labelled %q", label)
	}
	return nextMessage(ctx, t, n, label, want)
}

func nextMessage(ctx context.Context, t *testing.T, n int, sent, want string) string {
	t.Helper()
	if err := chromedp.Do(ctx, waitCount(`#log .msg:not(.msg--subscriber)`, n+1)); err != nil {
		t.Fatalf("no reply to %q: %v", sent, err)
	}
	got := lastMessage(ctx, t)
	if want != "" && !strings.Contains(got, want) {
		t.Fatalf("after %q the bot said %q, want %q", sent, got, want)
	}
	return got
}

func lastMessage(ctx context.Context, t *testing.T) string {
	return evalString(ctx, t, `[...document.querySelectorAll('#log .msg:not(.msg--subscriber) .bubble')].pop().textContent`)
}

func evalBool(ctx context.Context, t *testing.T, expr string) bool {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}
