package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"hotline/reports"
)

// wangFang is the supervisor of the dashboard tests.
var wangFang = testAgent{id: "wang.fang", name: "王芳", role: "supervisor", max: 3}

// markupQuestion is a subscriber's question that is also HTML: the
// dashboard must show it as text.
const markupQuestion = `<img src=x onerror=window.pwned=1> 请问猫粮什么牌子好`

// dashboardDay scripts a day on the gateway: one subscriber is answered
// by the bot, one asks something the bot does not know, and one is handed
// to li.na, answered, and rates the service 5; the back office opens a
// fault ticket and takes it up, and opens a complaint and resolves it.
func dashboardDay(t *testing.T, g *gw) {
	t.Helper()
	api := newAPI(t, g)
	for _, tk := range []struct{ kind, status string }{{"fault", "in_progress"}, {"complaint", "resolved"}} {
		status, body := api.call("POST", "/tickets", map[string]any{"kind": tk.kind,
			"summary": "看板测试 " + tk.kind, "phone": "13900001111"}, "")
		if status != http.StatusCreated {
			t.Fatalf("open a %s ticket: %d %v", tk.kind, status, body)
		}
		patch := map[string]any{"status": tk.status}
		if tk.status == "resolved" {
			patch["resolution"] = "已处理"
		}
		if status, body := api.call("PATCH", "/tickets/"+body["id"].(string), patch, ""); status != http.StatusOK {
			t.Fatalf("move the %s ticket to %s: %d %v", tk.kind, tk.status, status, body)
		}
	}
	odd := dial(t, g.addr, nil)
	odd.hello("", "")
	odd.ask("o1", markupQuestion)
	scriptedDay(t, g)
}

// startDashboard runs a desk with the supervisor and li.na and scripts a
// day on it.
func startDashboard(t *testing.T) *gw {
	t.Helper()
	g := startDesk(t, ticketEnv(nil), liNa, wangFang)
	dashboardDay(t, g)
	return g
}

// dashboardSignIn opens the dashboard and signs in through its form.
func dashboardSignIn(t *testing.T, ctx context.Context, addr, name string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate("http://"+addr+reports.DashboardPath),
		chromedp.WaitVisible(chromedp.CSS(`#signin-form`)),
		chromedp.SendKeys(chromedp.CSS(`#signin-name`), name),
		chromedp.SendKeys(chromedp.CSS(`#signin-password`), testPassword+kb.Enter),
	)
	if err != nil {
		t.Fatalf("sign in to the dashboard as %s: %v", name, err)
	}
}

// figuresShown waits until the dashboard shows a period's figures, the
// live panel and the gaps.
func figuresShown(t *testing.T, ctx context.Context) {
	t.Helper()
	waitJS(t, ctx, `document.querySelector('#dash').dataset.to !== undefined &&
		document.querySelectorAll('#kpis .kpi').length === 7 &&
		document.querySelector('#live').dataset.at !== undefined &&
		document.querySelectorAll('#gaps .gap').length > 0`, "the dashboard's figures")
}

// summaryAs reads the summary of a period (from and to empty: the
// default) with a fresh session of the supervisor.
func summaryAs(t *testing.T, addr, from, to string) reports.Summary {
	t.Helper()
	ck, status := signIn(t, addr, wangFang.id, testPassword)
	if ck == nil {
		t.Fatalf("supervisor sign-in: HTTP %d", status)
	}
	name := "summary"
	if from != "" {
		name += "?from=" + from + "&to=" + to
	}
	var s reports.Summary
	readReport(t, addr, name, ck, "", http.StatusOK, &s)
	return s
}

func pctText(rate float64, whole int) string {
	if whole == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", rate*100)
}

// onTimeText is the dashboard's on-time share over all ticket kinds.
func onTimeText(s reports.Summary, resolution bool) string {
	count, on := 0, 0
	for _, k := range s.Kinds {
		c, rate := k.Response.Count, k.ResponseOnTime
		if resolution {
			c, rate = k.Resolution.Count, k.ResolutionOnTime
		}
		count += c
		on += int(rate*float64(c) + 0.5)
	}
	if count == 0 {
		return "—"
	}
	return pctText(float64(on)/float64(count), count)
}

func periodDays(t *testing.T, s reports.Summary) int {
	t.Helper()
	from, err1 := time.Parse(time.DateOnly, s.From)
	to, err2 := time.Parse(time.DateOnly, s.To)
	if err1 != nil || err2 != nil {
		t.Fatalf("period %q to %q", s.From, s.To)
	}
	return int(to.Sub(from).Hours()/24+0.5) + 1
}

// checkTiles compares the KPI tiles with the summary.
func checkTiles(t *testing.T, ctx context.Context, s reports.Summary) {
	t.Helper()
	tot := s.Totals
	want := map[string]string{
		"visits":       strconv.Itoa(tot.Visits),
		"self_service": pctText(tot.SelfServiceRate, tot.Visits),
		"handoff":      pctText(tot.HandoffRate, tot.Visits),
		"kb_hit":       pctText(tot.KBHitRate, tot.Answered+tot.Unanswered),
		"responded":    onTimeText(s, false),
		"resolved":     onTimeText(s, true),
	}
	for key, w := range want {
		got := evalString(ctx, t, `document.querySelector('#kpis [data-kpi="`+key+`"] .kpi-value').textContent`)
		if got != w {
			t.Errorf("tile %s shows %q, the summary says %q", key, got, w)
		}
	}
	fr := evalString(ctx, t, `document.querySelector('#kpis [data-kpi="first_reply"] .kpi-value').textContent`)
	if s.FirstReply.Count > 0 != (fr != "—") || (s.FirstReply.Count > 0 && !strings.Contains(fr, "/")) {
		t.Errorf("first reply tile %q for %+v", fr, s.FirstReply)
	}
}

// chartsFit lists the text of every chart that is cut off by its chart's
// edge or overlaps another text of the chart, and every bar or line that
// reaches out of its chart; empty when all fit.
const chartsFit = `(() => {
	const bad = [];
	for (const root of document.querySelectorAll('#dash figure.chart svg[role="img"]')) {
		const box = root.getBoundingClientRect();
		const id = root.parentNode.id;
		const out = (r) => r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 ||
			r.bottom > box.bottom + 1;
		const texts = [...root.querySelectorAll('text')].map((t) => ({ t, r: t.getBoundingClientRect() }))
			.filter((x) => x.r.width > 0);
		for (const { t, r } of texts) if (out(r)) bad.push(id + ': clipped text "' + t.textContent + '"');
		for (let i = 0; i < texts.length; i++) {
			for (let j = i + 1; j < texts.length; j++) {
				const a = texts[i].r, b = texts[j].r;
				if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 2 && b.top < a.bottom - 2) {
					bad.push(id + ': "' + texts[i].t.textContent + '" overlaps "' + texts[j].t.textContent + '"');
				}
			}
		}
		for (const m of root.querySelectorAll('rect, line, path')) {
			const r = m.getBoundingClientRect();
			if (r.width + r.height > 0 && out(r)) bad.push(id + ': a ' + m.tagName + ' out of the chart');
		}
	}
	return bad.join('\n');
})()`

// checkCharts compares the charts with the summary: the daily chart's
// bars, the rates chart's points, a group per ticket kind in the deadline
// and on-time charts, a bar per agent and the bot in the satisfaction
// chart, and that each is an image whose text alternative has its numbers.
func checkCharts(t *testing.T, ctx context.Context, s reports.Summary) {
	t.Helper()
	visitDays, askDays := map[string]bool{}, map[string]bool{}
	visitBars := 0
	for _, d := range s.Daily {
		if d.Visits > 0 {
			visitDays[d.Date] = true
			visitBars++
		}
		if d.Answered+d.Unanswered > 0 {
			askDays[d.Date] = true
		}
	}
	count := func(sel string) int {
		return evalInt(ctx, t, `document.querySelectorAll('`+sel+`').length`)
	}
	if n := count(`#daily-chart svg[data-metric="visits"] .seg-rect`); n != visitBars {
		t.Errorf("the daily visits chart has %d bar segments, the summary %d channel-days with visits", n, visitBars)
	}
	for key, want := range map[string]int{"self_service": len(visitDays), "handoff": len(visitDays), "kb_hit": len(askDays)} {
		if n := count(`#rates-chart svg[role="img"] .rate-point[data-series="` + key + `"]`); n != want {
			t.Errorf("the rates chart has %d %s points, want one per day with figures: %d", n, key, want)
		}
	}
	if n := count(`#rates-table tbody tr`); n != periodDays(t, s) {
		t.Errorf("the rates table has %d rows, the period %d days", n, periodDays(t, s))
	}
	rates := evalString(ctx, t, `document.querySelector('#rates-chart svg').getAttribute('aria-label')`)
	if want := "self-service " + pctText(s.Totals.SelfServiceRate, s.Totals.Visits); !strings.Contains(rates, want) {
		t.Errorf("the rates chart's text alternative %q lacks %q", rates, want)
	}

	bars, targets, onTime := 0, 0, 0
	for _, k := range s.Kinds {
		for _, m := range []struct {
			spread, target reports.Spread
		}{{k.Response, k.ResponseTarget}, {k.Resolution, k.ResolutionTarget}} {
			if m.spread.Count > 0 {
				bars += 2
				onTime++
			}
			if m.target.Count > 0 {
				targets++
			}
		}
	}
	for _, measure := range []string{"response", "resolution"} {
		if n := count(`#kinds-chart svg[role="img"] .kind-group[data-measure="` + measure + `"]`); n != len(s.Kinds) {
			t.Errorf("the deadline chart has %d %s groups, the summary %d kinds", n, measure, len(s.Kinds))
		}
	}
	if n := count(`#kinds-chart .kind-bar`); n != bars {
		t.Errorf("the deadline chart has %d bars, want p50 and p90 of each measured kind: %d", n, bars)
	}
	if n := count(`#kinds-chart .target-line`); n != targets {
		t.Errorf("the deadline chart has %d target lines, want %d", n, targets)
	}
	if n := count(`#ontime-chart svg[role="img"] .ontime-group`); n != len(s.Kinds) {
		t.Errorf("the on-time chart has %d groups, the summary %d kinds", n, len(s.Kinds))
	}
	if n := count(`#ontime-chart .ontime-bar`); n != onTime {
		t.Errorf("the on-time chart has %d bars, want %d", n, onTime)
	}
	kinds := evalString(ctx, t, `document.querySelector('#kinds-chart svg').getAttribute('aria-label')`)
	for _, w := range []string{"故障报修", "投诉", "p50", "Resolution"} {
		if !strings.Contains(kinds, w) {
			t.Errorf("the deadline chart's text alternative %q lacks %q", kinds, w)
		}
	}

	if n := count(`#sat-chart svg[role="img"] .sat-row`); n != len(s.Agents)+1 {
		t.Errorf("the satisfaction chart has %d rows, want %d agents and the bot", n, len(s.Agents))
	}
	for _, a := range s.Agents {
		row := evalString(ctx, t, `(document.querySelector('#sat-chart .sat-row[data-who="`+a.Agent+`"]') || {}).textContent || ''`)
		if !strings.Contains(row, "n="+strconv.Itoa(a.Count)) {
			t.Errorf("the satisfaction bar of %s %q does not show its %d ratings", a.Agent, row, a.Count)
		}
		if a.Count > 0 && count(`#sat-chart .sat-row[data-who="`+a.Agent+`"] .sat-bar`) != 1 {
			t.Errorf("no satisfaction bar for %s", a.Agent)
		}
	}
	sat := evalString(ctx, t, `document.querySelector('#sat-chart svg').getAttribute('aria-label')`)
	if len(s.Agents) > 0 && !strings.Contains(sat, s.Agents[0].Name+" "+pctText(s.Agents[0].GoodShare, s.Agents[0].Count)) {
		t.Errorf("the satisfaction chart's text alternative %q lacks %s's share", sat, s.Agents[0].Name)
	}
	if bad := evalString(ctx, t, chartsFit); bad != "" {
		t.Errorf("chart labels do not fit:\n%s", bad)
	}
}

// A supervisor signs in through the form on a desk-size screen and sees
// the period's figures as the API has them, a bar per day, the live panel
// and the knowledge base's gaps.
func TestBrowserDashboard_SupervisorDesktop(t *testing.T) {
	ctx := browser(t, 1440, 900)
	g := startDashboard(t)
	// li.na is wrapping up, so the next subscriber to ask for a person waits.
	waiter := dial(t, g.addr, nil)
	waiter.hello("", "")
	waiter.send(map[string]string{"type": "message", "client_id": "w1", "text": "转人工"})
	waiter.until(func(f frame) bool { return f.Type == "message" && f.From != "subscriber" })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900)); err != nil {
		t.Fatal(err)
	}
	dashboardSignIn(t, ctx, g.addr, wangFang.id)
	figuresShown(t, ctx)

	s := summaryAs(t, g.addr, "", "")
	if s.Totals.Visits < 3 || s.FirstReply.Count != 1 || len(s.Kinds) != 2 {
		t.Fatalf("the scripted day is not in the summary: %+v", s.Totals)
	}
	checkTiles(t, ctx, s)

	days := periodDays(t, s)
	if n := evalInt(ctx, t, `document.querySelectorAll('#daily-chart svg[role="img"] .day').length`); n != days {
		t.Errorf("the chart has %d days, the period %d", n, days)
	}
	if n := evalInt(ctx, t, `document.querySelectorAll('#daily-chart svg .seg-rect').length`); n < 1 {
		t.Error("the chart has no bar")
	}
	label := evalString(ctx, t, `document.querySelector('#daily-chart svg').getAttribute('aria-label')`)
	if !strings.Contains(label, strconv.Itoa(s.Totals.Visits)+" visits") {
		t.Errorf("the chart's text alternative %q lacks the %d visits", label, s.Totals.Visits)
	}
	if n := evalInt(ctx, t, `document.querySelectorAll('#daily-table tbody tr').length`); n != days {
		t.Errorf("the chart's table has %d rows, want %d", n, days)
	}
	checkCharts(t, ctx, s)

	live := evalString(ctx, t, `document.querySelector('#live').textContent`)
	if !strings.Contains(live, "李娜") || !strings.Contains(live, "整理中") {
		t.Errorf("the live panel %q does not show li.na wrapping up", live)
	}
	if n := evalInt(ctx, t, `document.querySelectorAll('#live-queue tbody tr').length`); n != 1 {
		t.Errorf("the live queue has %d groups, want the waiting subscriber's", n)
	}
	if got := evalString(ctx, t, `document.querySelector('#live-summary').getAttribute('aria-live')`); got != "polite" {
		t.Errorf("the live summary's aria-live is %q", got)
	}
	if kinds := evalString(ctx, t, `document.querySelector('#kinds-table').textContent`); !strings.Contains(kinds, "投诉") ||
		!strings.Contains(kinds, "故障报修") {
		t.Errorf("the ticket table %q lacks the fault and the complaint", kinds)
	}
	if sat := evalString(ctx, t, `document.querySelector('#sat-table').textContent`); !strings.Contains(sat, "李娜") {
		t.Errorf("the satisfaction table %q lacks li.na", sat)
	}
	gaps := evalString(ctx, t, `document.querySelector('#gaps').textContent`)
	if !strings.Contains(gaps, "猫粮") {
		t.Errorf("the gaps %q lack the unanswered question", gaps)
	}
	href := evalString(ctx, t, `document.querySelector('a.csv[data-report="daily"]').getAttribute('href')`)
	if want := "from=" + s.From + "&to=" + s.To + "&format=csv"; !strings.Contains(href, want) {
		t.Errorf("CSV link %q, want the period %s", href, want)
	}
	if w := evalInt(ctx, t, `document.documentElement.scrollWidth`); w > 1440 {
		t.Errorf("the page is %d px wide at 1440 px", w)
	}
	screenshot(t, ctx, "dashboard-1440.png")

	// By keyboard, the daily chart switches from visits to tickets.
	ticketBars := 0
	for _, d := range s.Daily {
		if d.Tickets > 0 {
			ticketBars++
		}
	}
	if s.Totals.Tickets < 2 || ticketBars == 0 {
		t.Fatalf("the scripted tickets are not in the summary: %+v", s.Totals)
	}
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(`.metric-btn[data-metric="visits"]`)),
		chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	if m := evalString(ctx, t, `document.activeElement.dataset.metric || ''`); m != "tickets" {
		t.Fatalf("Tab from the visits button went to %q, not the tickets button", m)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `!!document.querySelector('#daily-chart svg[data-metric="tickets"]')`, "the daily tickets chart")
	if p := evalString(ctx, t, `document.querySelector('.metric-btn[data-metric="tickets"]').getAttribute('aria-pressed') + ' ' +
		document.querySelector('.metric-btn[data-metric="visits"]').getAttribute('aria-pressed')`); p != "true false" {
		t.Errorf("the switch's aria-pressed after choosing tickets: %q", p)
	}
	if n := evalInt(ctx, t, `document.querySelectorAll('#daily-chart svg .day').length`); n != days {
		t.Errorf("the tickets chart has %d days, the period %d", n, days)
	}
	if n := evalInt(ctx, t, `document.querySelectorAll('#daily-chart svg .seg-rect').length`); n != ticketBars {
		t.Errorf("the tickets chart has %d bar segments, the summary %d channel-days with tickets", n, ticketBars)
	}
	label = evalString(ctx, t, `document.querySelector('#daily-chart svg').getAttribute('aria-label')`)
	if !strings.Contains(label, strconv.Itoa(s.Totals.Tickets)+" tickets") {
		t.Errorf("the tickets chart's text alternative %q lacks the %d tickets", label, s.Totals.Tickets)
	}
	if bad := evalString(ctx, t, chartsFit); bad != "" {
		t.Errorf("chart labels do not fit:\n%s", bad)
	}
	screenshot(t, ctx, "dashboard-1440-tickets.png")
}

// On a phone-size screen the tiles stack, the tables scroll in their own
// boxes and the page does not scroll sideways.
func TestBrowserDashboard_Phone(t *testing.T) {
	ctx := browser(t, 360, 740)
	g := startDashboard(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	dashboardSignIn(t, ctx, g.addr, wangFang.id)
	figuresShown(t, ctx)
	s := summaryAs(t, g.addr, "", "")
	checkTiles(t, ctx, s)
	checkCharts(t, ctx, s)
	if w := evalInt(ctx, t, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the dashboard is %d px wide on a 360 px screen", w)
	}
	// The widest table scrolls inside its box.
	if n := evalInt(ctx, t, `(() => { const w = document.querySelector('#kinds-table');
		return w.querySelector('table') ? (w.scrollWidth > w.clientWidth ? 1 : 0) : 1; })()`); n != 1 {
		t.Error("the ticket table does not scroll in its own box")
	}
	screenshot(t, ctx, "dashboard-360.png")
}

// By keyboard alone: Tab reaches the period buttons, the focus is
// visible, and Enter on 7 days reloads the figures for those days.
func TestBrowserDashboard_KeyboardPeriod(t *testing.T) {
	ctx := browser(t, 1280, 860)
	g := startDashboard(t)
	dashboardSignIn(t, ctx, g.addr, wangFang.id)
	figuresShown(t, ctx)
	// A fresh page, signed in: the keyboard starts at the top.
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	figuresShown(t, ctx)

	found := false
	for i := 0; i < 30 && !found; i++ {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		found = evalString(ctx, t, `document.activeElement.dataset.days || ''`) == "7"
	}
	if !found {
		t.Fatal("Tab never reached the 7-day button")
	}
	if o := evalString(ctx, t, `getComputedStyle(document.activeElement).outlineStyle`); o == "none" {
		t.Error("the focused button shows no focus ring")
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	month := summaryAs(t, g.addr, "", "")
	to, _ := time.Parse(time.DateOnly, month.To)
	from := to.AddDate(0, 0, -6).Format(time.DateOnly)
	waitJS(t, ctx, `document.querySelector('#dash').dataset.from === '`+from+`' &&
		document.querySelectorAll('#daily-chart svg .day').length === 7`, "the 7-day figures")
	if p := evalString(ctx, t, `document.querySelector('.seg-btn[data-days="7"]').getAttribute('aria-pressed')`); p != "true" {
		t.Errorf("the 7-day button is not pressed: %q", p)
	}
	checkTiles(t, ctx, summaryAs(t, g.addr, from, month.To))
	screenshot(t, ctx, "dashboard-1280-7days.png")
}

// An agent who is not a supervisor is told politely that the dashboard is
// for supervisors, and sees no figure.
func TestBrowserDashboard_AgentRefused(t *testing.T) {
	ctx := browser(t, 1440, 900)
	g := startDesk(t, nil, liNa, wangFang)
	dashboardSignIn(t, ctx, g.addr, liNa.id)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#denied-view`))); err != nil {
		t.Fatalf("the refusal: %v", err)
	}
	text := evalString(ctx, t, `document.querySelector('#denied-view').textContent`)
	if !strings.Contains(text, "仅限班长") || !strings.Contains(text, "Supervisors only") {
		t.Errorf("refusal %q", text)
	}
	if n := evalInt(ctx, t, `document.querySelectorAll('.kpi, .day, .gap').length`); n != 0 {
		t.Errorf("an agent sees %d figures", n)
	}
	if h := evalString(ctx, t, `String(document.querySelector('#dash').hidden)`); h != "true" {
		t.Error("the dashboard is not hidden from an agent")
	}
	screenshot(t, ctx, "dashboard-1440-agent.png")
}

// A subscriber's question that is HTML shows as its text in the gaps: no
// element is made of it and its script does not run.
func TestBrowserDashboard_GapMarkupIsText(t *testing.T) {
	ctx := browser(t, 1280, 860)
	g := startDashboard(t)
	dashboardSignIn(t, ctx, g.addr, wangFang.id)
	figuresShown(t, ctx)
	gaps := evalString(ctx, t, `document.querySelector('#gaps').textContent`)
	if !strings.Contains(gaps, "<img src=x onerror=") {
		t.Errorf("the gaps %q do not show the question's markup as text", gaps)
	}
	if n := evalInt(ctx, t, `document.querySelectorAll('#gaps img, #dash img').length`); n != 0 {
		t.Errorf("%d img elements made of a subscriber's words", n)
	}
	if p := evalString(ctx, t, `String(window.pwned)`); p != "undefined" {
		t.Errorf("the question's script ran: window.pwned = %s", p)
	}
}

// The page and its files are served with a policy that allows only their
// own script and style sheet, and a page not found under it is a 404.
func TestDashboard_PageHeaders(t *testing.T) {
	g := startDesk(t, nil, wangFang)
	for path, typ := range map[string]string{"": "text/html", "dashboard.js": "javascript",
		"dashboard.css": "text/css"} {
		resp, err := http.Get("http://" + g.addr + reports.DashboardPath + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		switch {
		case resp.StatusCode != http.StatusOK:
			t.Errorf("%q: HTTP %d", path, resp.StatusCode)
		case !strings.Contains(resp.Header.Get("Content-Type"), typ):
			t.Errorf("%q: Content-Type %q, want %s", path, resp.Header.Get("Content-Type"), typ)
		case !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline"):
			t.Errorf("%q: Content-Security-Policy %q", path, csp)
		case resp.Header.Get("X-Content-Type-Options") != "nosniff":
			t.Errorf("%q: no nosniff", path)
		}
	}
	resp, err := http.Get("http://" + g.addr + reports.DashboardPath + "missing.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("a missing file: HTTP %d", resp.StatusCode)
	}
}
