package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hotline/store/sqldb"
)

// TestGateway_FaultReportToRating follows one broadband fault report
// through the real gateway on the embedded store: the web chat form, the
// ticket in the back office's API, status changes told to the subscriber,
// the resolution with its rating question, and the rating on the ticket.
func TestGateway_FaultReportToRating(t *testing.T) {
	g := startGateway(t, t.TempDir(), ticketEnv(nil))
	faultReportToRating(t, g)
}

// TestGateway_FaultReportToRatingOnPostgres is the same with tickets in
// PostgreSQL (database.url from the environment).
func TestGateway_FaultReportToRatingOnPostgres(t *testing.T) {
	dsn := postgresURL(t)
	data := t.TempDir()
	g := startGateway(t, data, ticketEnv(map[string]string{"HOTLINE_DATABASE_URL": dsn}))
	faultReportToRating(t, g)

	// The conversation and its transcript are in PostgreSQL too, and no
	// embedded file was made.
	db, err := sqldb.Open(context.Background(), sqldb.Options{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var convs, msgs int
	if err := db.Reader().QueryRow(`SELECT (SELECT count(*) FROM conversations), (SELECT count(*) FROM messages)`).
		Scan(&convs, &msgs); err != nil {
		t.Fatal(err)
	}
	if convs != 1 || msgs < 10 {
		t.Fatalf("PostgreSQL holds %d conversations and %d messages, want the chat's", convs, msgs)
	}
	if _, err := os.Stat(filepath.Join(data, sqldb.FileName)); !os.IsNotExist(err) {
		t.Fatalf("an embedded database was made beside PostgreSQL: %v", err)
	}
}

func faultReportToRating(t *testing.T, g *gw) {
	c := startChat(t, g)
	api := newAPI(t, g)

	summary := c.reportBroadband("朝阳", "朝阳区建国路88号3单元502")
	if !strings.Contains(summary.Text, "ad12345678") || !strings.Contains(summary.Text, "建国路88号") {
		t.Fatalf("summary %q does not show the answers", summary.Text)
	}
	id, opened := c.confirm(summary)
	if !strings.Contains(opened.Text, "前与您联系") || !strings.Contains(opened.Text, "处理完毕") {
		t.Errorf("opened reply %q does not give the promised times", opened.Text)
	}

	// The back office sees it, with the service guide's deadlines.
	status, tk := api.call("GET", "/tickets/"+id, nil, "")
	if status != http.StatusOK || tk["status"] != "new" || tk["kind"] != "fault" || tk["category"] != "broadband_down" {
		t.Fatalf("GET ticket = %d %v", status, tk)
	}
	checkDeadlines(t, tk, 24*time.Hour, 72*time.Hour)

	// The subscriber asks where it is.
	if r := c.say("我的工单到哪了"); !strings.Contains(r.Text, id) {
		t.Errorf("status reply %q does not list %s", r.Text, id)
	}

	// Work starts: the subscriber is told on the web chat.
	status, body := api.call("PATCH", "/tickets/"+id, map[string]any{"status": "in_progress", "note": "engineer booked"}, "k-1")
	if status != http.StatusOK || body["status"] != "in_progress" {
		t.Fatalf("PATCH in_progress = %d %v", status, body)
	}
	c.notice(id)

	// The same request again applies once.
	status, again := api.call("PATCH", "/tickets/"+id, map[string]any{"status": "in_progress", "note": "engineer booked"}, "k-1")
	if status != http.StatusOK || again["version"] != body["version"] {
		t.Errorf("repeated PATCH = %d version %v, want the first answer (version %v)", status, again["version"], body["version"])
	}

	// Resolved: the resolution note and the 1-5 rating question.
	status, body = api.call("PATCH", "/tickets/"+id, map[string]any{"status": "resolved", "resolution": "已更换光猫，恢复上网"}, "k-2")
	if status != http.StatusOK {
		t.Fatalf("PATCH resolved = %d %v", status, body)
	}
	told := c.notice("已更换光猫")
	if len(told.QuickReplies) != 5 {
		t.Fatalf("resolution notice %q has %d quick replies, want 5 ratings", told.Text, len(told.QuickReplies))
	}
	five := told.QuickReplies[0]
	if !strings.HasSuffix(five.Payload, ":5") {
		t.Fatalf("first rating button = %+v, want 5", five)
	}
	if r := c.press(five.Label, five.Payload); !strings.Contains(r.Text, "感谢") {
		t.Errorf("rating reply %q, want thanks", r.Text)
	}

	_, tk = api.call("GET", "/tickets/"+id, nil, "")
	if tk["rating"] != float64(5) || tk["status"] != "resolved" {
		t.Errorf("after rating: rating %v status %v, want 5 resolved", tk["rating"], tk["status"])
	}
	if !historyHas(tk, "subscriber", "rated") || !historyHas(tk, "env", "status") {
		t.Errorf("history %v lacks the rating or the back office's change", tk["history"])
	}

	// An invalid transition is refused with a reason.
	status, body = api.call("PATCH", "/tickets/"+id, map[string]any{"status": "in_progress"}, "")
	if status != http.StatusConflict || body["error"] != "invalid_transition" || body["reason"] == "" {
		t.Errorf("resolved → in_progress = %d %v, want 409 invalid_transition with a reason", status, body)
	}

	// Nothing the subscriber told us reaches the logs.
	for _, private := range []string{"13812345678", "ad12345678", "建国路", "已更换光猫", testToken} {
		if strings.Contains(g.logs.String(), private) {
			t.Errorf("the logs contain %q", private)
		}
	}
}

// checkDeadlines checks the ticket's promised times against its creation.
func checkDeadlines(t *testing.T, tk map[string]any, respond, resolve time.Duration) {
	t.Helper()
	at := func(k string) time.Time {
		s, _ := tk[k].(string)
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatalf("%s = %v: %v", k, tk[k], err)
		}
		return v
	}
	created := at("created_at")
	if got := at("respond_by").Sub(created); got != respond {
		t.Errorf("respond_by is %v after creation, want %v", got, respond)
	}
	if got := at("resolve_by").Sub(created); got != resolve {
		t.Errorf("resolve_by is %v after creation, want %v", got, resolve)
	}
}

// historyHas reports whether the ticket's history has an entry by actor
// with action.
func historyHas(tk map[string]any, actor, action string) bool {
	hist, _ := tk["history"].([]any)
	for _, h := range hist {
		e, _ := h.(map[string]any)
		if e["actor"] == actor && e["action"] == action {
			return true
		}
	}
	return false
}

// TestGateway_OutageLinksReportsAndTellsWhenFixed declares an outage
// through the API; a fault report in its area is linked to it and told
// the known fix time, and closing it tells the subscriber.
func TestGateway_OutageLinksReportsAndTellsWhenFixed(t *testing.T) {
	g := startGateway(t, t.TempDir(), ticketEnv(nil))
	api := newAPI(t, g)
	fix := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	status, o := api.call("POST", "/outages", map[string]any{
		"service": "broadband", "area": "haidian", "description": "光缆中断",
		"expected_fix": fix.Format(time.RFC3339),
	}, "")
	if status != http.StatusCreated {
		t.Fatalf("declare outage = %d %v", status, o)
	}
	outage, _ := o["id"].(string)

	c := startChat(t, g)
	id, opened := c.confirm(c.reportBroadband("海淀", "海淀区中关村大街1号"))
	fixText := fix.In(shanghai(t)).Format("1月2日 15:04")
	if !strings.Contains(opened.Text, fixText) {
		t.Errorf("opened reply %q does not give the outage's fix time %s", opened.Text, fixText)
	}
	_, tk := api.call("GET", "/tickets/"+id, nil, "")
	if tk["outage_id"] != outage {
		t.Fatalf("ticket outage_id = %v, want %s", tk["outage_id"], outage)
	}

	// A report elsewhere is not linked.
	other := startChat(t, g)
	otherID, _ := other.confirm(other.reportBroadband("朝阳", "朝阳区建国路88号"))
	if _, tk := api.call("GET", "/tickets/"+otherID, nil, ""); tk["outage_id"] != "" {
		t.Errorf("a report outside the outage's area was linked to %v", tk["outage_id"])
	}

	status, closed := api.call("POST", "/outages/"+outage+"/close", map[string]any{"note": "光缆已修复"}, "")
	if status != http.StatusOK || closed["open"] != false {
		t.Fatalf("close outage = %d %v", status, closed)
	}
	c.notice("光缆已修复")
}

func shanghai(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestGateway_TicketsAreOnlyTheirOwners checks that one subscriber cannot
// read another's ticket by sending its number.
func TestGateway_TicketsAreOnlyTheirOwners(t *testing.T) {
	g := startGateway(t, t.TempDir(), ticketEnv(nil))
	alice := startChat(t, g)
	id, _ := alice.confirm(alice.reportBroadband("朝阳", "朝阳区建国路88号3单元502"))

	mallory := startChat(t, g)
	r := mallory.say("查询 " + id)
	if !strings.Contains(r.Text, "没有查到") || strings.Contains(r.Text, "宽带断网") {
		t.Fatalf("another subscriber asking for %s got %q", id, r.Text)
	}
	// Guessing neighbouring numbers gets the same answer as a real one.
	prefix, n := id[:len(id)-6], 0
	_, _ = fmt.Sscanf(id[len(id)-6:], "%d", &n)
	for _, guess := range []string{fmt.Sprintf("%s%06d", prefix, n+1), fmt.Sprintf("%s%06d", prefix, n+500)} {
		g := mallory.say(guess)
		if want := strings.ReplaceAll(r.Text, id, guess); g.Text != want {
			t.Errorf("guess %s answered %q, want %q", guess, g.Text, want)
		}
	}
	if r := mallory.say("我的工单"); strings.Contains(r.Text, id) {
		t.Errorf("another subscriber's list shows %s: %q", id, r.Text)
	}
}

// TestGateway_FormSurvivesRestart stops the gateway in the middle of a
// form; after the restart the same session goes on where it stopped.
func TestGateway_FormSurvivesRestart(t *testing.T) {
	data := t.TempDir()
	g := startGateway(t, data, ticketEnv(nil))
	c := startChat(t, g)
	for _, s := range []string{"家里宽带断了", "ad12345678", "朝阳"} {
		c.say(s)
	}
	g.stop()

	g = startGateway(t, data, ticketEnv(nil))
	c2 := dial(t, g.addr, nil)
	if w, _ := c2.hello(c.session, ""); !w.Resumed {
		t.Fatalf("the session was not resumed after the restart: %+v", w)
	}
	conv := &conversation{client: c2, session: c.session, n: 100}
	if r := conv.say("朝阳区建国路88号3单元502"); !strings.Contains(r.Text, "什么时候开始") {
		t.Fatalf("after the restart the address got %q, want the next question", r.Text)
	}
	for _, s := range []string{"今天", "13812345678"} {
		conv.say(s)
	}
	summary := conv.say("下午")
	if !strings.Contains(summary.Text, "朝阳区") || !strings.Contains(summary.Text, "ad12345678") {
		t.Fatalf("summary after restart %q lost answers given before it", summary.Text)
	}
	conv.confirm(summary)
}

// TestGateway_ComplaintIsUrgentAndOffersAPerson opens a complaint that
// names the regulator: high priority complaint deadlines, and a person is
// offered at once.
func TestGateway_ComplaintIsUrgentAndOffersAPerson(t *testing.T) {
	g := startGateway(t, t.TempDir(), ticketEnv(nil))
	c := startChat(t, g)
	first := c.say("我要投诉，不解决我就去工信部申诉")
	if !offersPerson(first) {
		t.Fatalf("complaint reply %q offers no person: %+v", first.Text, first.QuickReplies)
	}
	r := first
	for i := 0; i < 10 && !strings.Contains(r.Text, "请核对"); i++ {
		r = c.say(complaintAnswer(r.Text))
	}
	id, opened := c.confirm(r)
	if !offersPerson(opened) {
		t.Errorf("opened complaint %q offers no person", opened.Text)
	}
	_, tk := newAPI(t, g).call("GET", "/tickets/"+id, nil, "")
	if tk["kind"] != "complaint" || tk["priority"] != float64(4) {
		t.Errorf("complaint ticket kind %v priority %v, want complaint 4 (urgent)", tk["kind"], tk["priority"])
	}
	checkDeadlines(t, tk, 48*time.Hour, 72*time.Hour)
}

// complaintAnswer answers the complaint form's questions.
func complaintAnswer(q string) string {
	switch {
	case strings.Contains(q, "哪方面"):
		return "资费"
	case strings.Contains(q, "号码"):
		return "13812345678"
	case strings.Contains(q, "时间"):
		return "下午"
	}
	return "上个月多扣了我五十元流量费，客服一直没有处理"
}

func offersPerson(f frame) bool {
	for _, q := range f.QuickReplies {
		if q.Payload == "agent" || strings.HasPrefix(q.Payload, "agent:") {
			return true
		}
	}
	return false
}

// TestGateway_APINeedsAToken checks the API refuses calls without the
// configured token and serves its OpenAPI document to anyone.
func TestGateway_APINeedsAToken(t *testing.T) {
	g := startGateway(t, t.TempDir(), ticketEnv(nil))
	for _, auth := range []string{"", "Bearer wrong-token-0123456789", "Basic " + testToken} {
		req, _ := http.NewRequest("GET", "http://"+g.addr+"/api/v1/tickets", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("Authorization %q: %d, want 401 with WWW-Authenticate", auth, resp.StatusCode)
		}
	}
	resp, err := http.Get("http://" + g.addr + "/api/v1/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("openapi.yaml: %d", resp.StatusCode)
	}
	if strings.Contains(g.logs.String(), testToken) {
		t.Error("the API token appears in the logs")
	}
}
