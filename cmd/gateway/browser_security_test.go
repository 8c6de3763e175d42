package main

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"hotline/reports"
)

// cspListener records every Content-Security-Policy violation of a page
// in window.__csp, from before the page's own script runs.
const cspListener = `window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));`

// listenForViolations installs cspListener in the tab.
func listenForViolations(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: cspListener}); err != nil {
		t.Fatal(err)
	}
}

// noViolations fails the test with the page's violations, then checks
// that the listener hears one: an inline style the policy must refuse.
func noViolations(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	if got := evalString(ctx, t, `window.__csp.join('\n')`); got != "" {
		t.Errorf("%s: policy violations:\n%s", page, got)
	}
	evalString(ctx, t, `(() => { const s = document.createElement('style');
		s.textContent = 'body { outline: 1px solid red }'; document.head.appendChild(s); return ''; })()`)
	waitJS(t, ctx, `window.__csp.some(v => v.startsWith('style-src'))`, page+": the listener hearing a refused inline style")
}

// Each page works under its policy, with no violation reported: the chat
// answers a question, the console signs in and shows the desk, the
// dashboard signs a supervisor in and shows the figures.
func TestBrowser_PagesWorkUnderTheirPolicy(t *testing.T) {
	g := startDesk(t, ticketEnv(nil), liNa, wangFang)
	dashboardDay(t, g)

	chat := browser(t, 1280, 800)
	listenForViolations(t, chat)
	if err := chromedp.Do(chat,
		chromedp.Navigate("http://"+g.addr+"/"),
		chromedp.WaitVisible(connected),
		chromedp.SendKeys(chromedp.CSS(`#input`), "营业厅几点开门"+kb.Enter),
		waitCount(botText, 1),
	); err != nil {
		t.Fatalf("chat: %v", err)
	}
	noViolations(t, chat, "chat")

	console := browser(t, 1280, 800)
	listenForViolations(t, console)
	if err := chromedp.Do(console,
		chromedp.Navigate("http://"+g.addr+"/agent/"),
		chromedp.WaitVisible(chromedp.CSS(`#signin-form`)),
		chromedp.SendKeys(chromedp.CSS(`#signin-name`), liNa.id),
		chromedp.SendKeys(chromedp.CSS(`#signin-password`), testPassword+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#console`)),
	); err != nil {
		t.Fatalf("console: %v", err)
	}
	noViolations(t, console, "console")

	dash := browser(t, 1440, 900)
	listenForViolations(t, dash)
	dashboardSignIn(t, dash, g.addr, wangFang.id)
	figuresShown(t, dash)
	if evalInt(dash, t, `document.querySelectorAll('svg').length`) == 0 {
		t.Error("the dashboard drew no chart")
	}
	noViolations(t, dash, "dashboard "+reports.DashboardPath)
}
