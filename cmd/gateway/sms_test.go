package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline/channels/sms"
	"hotline/store/sqldb"
)

// smsPublicURL is the base URL the test's Twilio calls the gateway at;
// callbacks are signed over it, whatever address they reach.
const smsPublicURL = "https://hotline.example.com"

const (
	smsAccount = "ACgatewaytest"
	smsToken   = "gateway-twilio-token"
	smsFrom    = "+15005550006"
)

// fakeTwilioAPI is Twilio's Messages API: it keeps every message sent,
// by recipient, and answers each with a new SID; while down is set it
// answers 429, as when Twilio throttles.
type fakeTwilioAPI struct {
	srv     *httptest.Server
	mu      sync.Mutex
	sent    map[string][]string
	sids    map[string][]string
	n       int
	down    bool
	failure string // "error": 500s; "hang": no answer until the caller gives up
	refused int
}

func newTwilioAPI(t *testing.T) *fakeTwilioAPI {
	f := &fakeTwilioAPI{sent: map[string][]string{}, sids: map[string][]string{}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != smsAccount || p != smsToken {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"code":20003,"status":401}`)
			return
		}
		_ = r.ParseForm()
		f.mu.Lock()
		if f.down {
			f.refused++
			f.mu.Unlock()
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"code":20429,"message":"Too Many Requests","status":429}`)
			return
		}
		switch f.failure {
		case "error":
			f.refused++
			f.mu.Unlock()
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"code":20500,"message":"Internal Server Error","status":500}`)
			return
		case "hang":
			f.refused++
			f.mu.Unlock()
			<-r.Context().Done() // until the gateway gives up
			return
		}
		f.n++
		sid := fmt.Sprintf("SM%032d", f.n)
		to := r.PostForm.Get("To")
		f.sent[to] = append(f.sent[to], r.PostForm.Get("Body"))
		f.sids[to] = append(f.sids[to], sid)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = fmt.Fprintf(w, `{"sid":%q,"status":"queued"}`, sid)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// setFailure makes the API fail every send in a way ("error", "hang"),
// or ("") recover.
func (f *fakeTwilioAPI) setFailure(mode string) {
	f.mu.Lock()
	f.failure = mode
	f.mu.Unlock()
}

// refusals is how many sends the API did not take.
func (f *fakeTwilioAPI) refusals() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refused
}

// to returns the texts sent to a number.
func (f *fakeTwilioAPI) to(phone string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent[phone]...)
}

// twilioEnv configures the quick-start Twilio channel against api.
func twilioEnv(env map[string]string, api *fakeTwilioAPI) map[string]string {
	if env == nil {
		env = map[string]string{}
	}
	env["HOTLINE_TWILIO_ACCOUNT_SID"] = smsAccount
	env["HOTLINE_TWILIO_AUTH_TOKEN"] = smsToken
	env["HOTLINE_TWILIO_FROM"] = smsFrom
	env["HOTLINE_TWILIO_PUBLIC_URL"] = smsPublicURL
	env["HOTLINE_TWILIO_API_URL"] = api.srv.URL
	return env
}

// texter is a subscriber writing to the gateway by SMS through Twilio.
type texter struct {
	t     *testing.T
	addr  string
	phone string
	api   *fakeTwilioAPI
	n     int
}

// text posts one signed inbound webhook and waits until the gateway has
// sent the replies it sends, returning them.
func (x *texter) text(body string) []string {
	x.t.Helper()
	x.n++
	before := len(x.api.to(x.phone))
	x.post(fmt.Sprintf("SM%s%04d", strings.TrimPrefix(x.phone, "+"), x.n), body)
	return x.awaitAfter(before)
}

// post sends one inbound webhook with the given MessageSid.
func (x *texter) post(sid, body string) {
	x.t.Helper()
	form := url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "AccountSid": {smsAccount}, "From": {x.phone},
		"To": {smsFrom}, "Body": {body}, "NumMedia": {"0"}, "SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"}}
	status, resp := postTwilio(x.t, x.addr, "/sms/twilio/inbound", form)
	if status != http.StatusOK || !strings.Contains(resp, "<Response/>") {
		x.t.Fatalf("inbound webhook: HTTP %d %q", status, resp)
	}
}

// awaitAfter waits for the replies that follow the first n, until none
// has come for a moment.
func (x *texter) awaitAfter(n int) []string {
	x.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(x.api.to(x.phone)) == n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	for last := -1; last != len(x.api.to(x.phone)); {
		last = len(x.api.to(x.phone))
		time.Sleep(150 * time.Millisecond)
	}
	return x.api.to(x.phone)[n:]
}

// postTwilio posts a form to the gateway signed as Twilio signs it.
func postTwilio(t *testing.T, addr, path string, form url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", sms.TwilioSignature(smsToken, smsPublicURL+path, form))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// faultBySMS answers the broadband fault form by SMS, one short
// question per message, choosing the area by its number, and returns
// the last reply.
func faultBySMS(t *testing.T, x *texter) string {
	t.Helper()
	return faultFormBySMS(t, x, x)
}

// faultFormBySMS is faultBySMS with the summary confirmed, by its
// number, through confirm: the same number writing to another instance,
// say.
func faultFormBySMS(t *testing.T, x, confirm *texter) string {
	t.Helper()
	replies := x.text("家里宽带断网了")
	for step := 0; step < 12; step++ {
		last := strings.Join(replies, "\n")
		switch {
		case strings.Contains(last, "工单号"):
			return last
		case strings.Contains(last, "请核对"):
			if !strings.Contains(last, "回复1 确认提交") {
				t.Fatalf("the summary offers no short codes: %q", last)
			}
			replies = confirm.text("1")
		case strings.Contains(last, "宽带账号"):
			replies = x.text("ad12345678")
		case strings.Contains(last, "哪个区"):
			if !strings.Contains(last, "3 朝阳区") {
				t.Fatalf("the areas are not numbered: %q", last)
			}
			replies = x.text("3")
		case strings.Contains(last, "详细地址"):
			replies = x.text("建国路88号3单元502")
		case strings.Contains(last, "什么时候开始"):
			replies = x.text("2")
		case strings.Contains(last, "电话"):
			replies = x.text("13812345678")
		case strings.Contains(last, "什么时间方便"):
			replies = x.text("下午")
		default:
			t.Fatalf("unexpected question %q", last)
		}
		for _, r := range replies {
			if n := sms.Count(r, "").Parts; n > 3 {
				t.Fatalf("a reply of %d parts: %q", n, r)
			}
		}
	}
	t.Fatal("the form did not end")
	return ""
}

// A fault reported by SMS becomes a ticket; CX answers with its status in
// one SMS part; another number never learns of it; a repeated webhook
// gets no second reply; the ticket's resolution and its rating go by SMS.
func TestSMS_FaultReportAndStatus(t *testing.T) {
	api := newTwilioAPI(t)
	g := startGateway(t, t.TempDir(), twilioEnv(ticketEnv(nil), api))
	x := &texter{t: t, addr: g.addr, phone: "+8613800138000", api: api}

	done := faultBySMS(t, x)
	id := ticketNumber.FindString(done)
	if id == "" {
		t.Fatalf("no ticket number in %q", done)
	}
	if c := api.to("+8613800138000")[0]; c == "" {
		t.Fatal("no reply")
	}

	status := x.text("CX")
	if len(status) != 1 || !strings.Contains(status[0], id) {
		t.Fatalf("CX: %q", status)
	}
	if seg := sms.Count(status[0], "中国电信"); seg.Parts != 1 {
		t.Fatalf("the status takes %d parts with a four-character signature (%d units): %q", seg.Parts, seg.Units, status[0])
	}
	if again := x.text("查询"); len(again) != 1 || !strings.Contains(again[0], id) {
		t.Fatalf("查询: %q", again)
	}

	other := &texter{t: t, addr: g.addr, phone: "+8613900139000", api: api}
	for _, ask := range []string{"CX", id} {
		got := strings.Join(other.text(ask), "\n")
		if strings.Contains(got, "宽带断网报修") || strings.Contains(got, "承诺") {
			t.Fatalf("another number asking %q learnt of the ticket: %q", ask, got)
		}
	}

	// Twilio's retry of a message already answered.
	before := len(api.to(x.phone))
	x.post(fmt.Sprintf("SM%s%04d", strings.TrimPrefix(x.phone, "+"), x.n), "查询")
	if got := x.awaitAfter(before); len(got) != 0 {
		t.Fatalf("a repeated webhook was answered again: %q", got)
	}
	// The ticket's updates reach the number by SMS, and so does the
	// satisfaction question, answered by SMS.
	before = len(api.to(x.phone))
	if st, body := newAPI(t, g).call("PATCH", "/tickets/"+id, map[string]any{"status": "resolved", "resolution": "已更换光猫"}, "sms-1"); st != 200 {
		t.Fatalf("PATCH resolved: %d %v", st, body)
	}
	notice := x.awaitAfter(before)
	if len(notice) != 1 || !strings.Contains(notice[0], id) || !strings.Contains(notice[0], "5 非常满意") {
		t.Fatalf("the resolution notice by SMS: %q", notice)
	}
	if thanks := x.text("5"); len(thanks) != 1 || !strings.Contains(thanks[0], "感谢您的评价") {
		t.Fatalf("the rating by SMS: %q", thanks)
	}
	for _, secret := range []string{"13800138000", "13900139000", "宽带断网", smsToken} {
		if strings.Contains(g.logs.String(), secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

// 退订 opts the number out before anything else is sent; then the bot is
// silent, HELP is not answered, and START opts back in.
func TestSMS_OptOutAndBack(t *testing.T) {
	api := newTwilioAPI(t)
	g := startGateway(t, t.TempDir(), twilioEnv(nil, api))
	x := &texter{t: t, addr: g.addr, phone: "+8613700137000", api: api}
	if got := x.text("营业厅几点开门"); len(got) != 1 {
		t.Fatalf("before: %q", got)
	}
	if got := x.text("退订"); len(got) != 1 || !strings.Contains(got[0], "已退订") {
		t.Fatalf("opt-out: %q", got)
	}
	for _, m := range []string{"营业厅几点开门", "HELP", "转人工"} {
		if got := x.text(m); len(got) != 0 {
			t.Fatalf("an opted-out number got %q for %q", got, m)
		}
	}
	if got := x.text("START"); len(got) != 1 || !strings.Contains(got[0], "已恢复") {
		t.Fatalf("opt-in: %q", got)
	}
	if got := x.text("营业厅几点开门"); len(got) != 1 || !strings.Contains(got[0], "营业") {
		t.Fatalf("after START: %q", got)
	}
	if got := x.text("HELP"); len(got) != 1 || !strings.Contains(got[0], "CX") {
		t.Fatalf("help: %q", got)
	}
}

// An agent's replies reach an SMS subscriber by SMS.
func TestSMS_AgentRepliesBySMS(t *testing.T) {
	api := newTwilioAPI(t)
	g := startDesk(t, twilioEnv(nil, api), liNa)
	agent := openConsole(t, g.addr, "li.na")
	agent.ready()
	x := &texter{t: t, addr: g.addr, phone: "+8613600136000", api: api}
	x.text("转人工")
	got := agent.want("assigned", nil)
	if got.View.Channel != "twilio" || !hasMessage(got.View.Messages, "subscriber", "转人工") {
		t.Fatalf("assigned view = %s", got.raw)
	}
	before := len(api.to(x.phone))
	agent.must("reply", map[string]any{"conversation": got.View.Conversation, "client_id": "s1", "text": "您好，我是李娜"})
	if sent := x.awaitAfter(before); !strings.Contains(strings.Join(sent, "\n"), "我是李娜") {
		t.Fatalf("the subscriber got %q", sent)
	}
	x.post("SMfollowup", "我的宽带断了")
	agent.want("message", func(m aframe) bool { return m.Message.Text == "我的宽带断了" })
}

// Delivery reports are signed and answered with empty TwiML.
func TestSMS_StatusCallback(t *testing.T) {
	api := newTwilioAPI(t)
	g := startGateway(t, t.TempDir(), twilioEnv(nil, api))
	x := &texter{t: t, addr: g.addr, phone: "+8613500135000", api: api}
	x.text("营业厅几点开门")
	api.mu.Lock()
	sid := api.sids[x.phone][0]
	api.mu.Unlock()
	form := url.Values{"MessageSid": {sid}, "MessageStatus": {"delivered"}, "AccountSid": {smsAccount}}
	if st, body := postTwilio(t, g.addr, "/sms/twilio/status", form); st != 200 || !strings.Contains(body, "<Response/>") {
		t.Fatalf("status callback: %d %q", st, body)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://"+g.addr+"/sms/twilio/status", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an unsigned report: %d", resp.StatusCode)
	}
}

// setDown makes the API throttle every send, or recover.
func (f *fakeTwilioAPI) setDown(down bool) {
	f.mu.Lock()
	f.down = down
	f.mu.Unlock()
}

// A throttling Twilio: the replies wait and are retried with backoff;
// when Twilio recovers each is sent once, in the conversation's order,
// and ends delivered.
func TestSMS_ThrottledProviderRecovers(t *testing.T) {
	api := newTwilioAPI(t)
	clock := &movableClock{at: time.Now()}
	data := t.TempDir()
	env := twilioEnv(nil, api)
	g := startGatewayWith(t, Options{
		Args:   []string{"-config", testConfig(t), "-addr", "127.0.0.1:0", "-data", data},
		Getenv: func(k string) string { return env[k] }, Clock: clock,
	})
	x := &texter{t: t, addr: g.addr, phone: "+8613300133000", api: api}
	api.setDown(true)
	questions := []string{"营业厅几点开门", "怎么开发票", "宽带怎么移机"}
	for i, q := range questions {
		x.post(fmt.Sprint("SMthrottle", i), q)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		api.mu.Lock()
		refused := api.refused
		api.mu.Unlock()
		if refused >= 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no send was tried")
		}
		time.Sleep(10 * time.Millisecond)
	}
	api.setDown(false)
	clock.advance(6 * time.Second) // past the first backoff; the next rescan sends
	deadline = time.Now().Add(15 * time.Second)
	for len(api.to(x.phone)) < len(questions) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	got := api.to(x.phone)
	if len(got) != len(questions) {
		t.Fatalf("sent %d replies, want %d once each: %q", len(got), len(questions), got)
	}
	for i, want := range []string{"营业", "发票", "移机"} {
		if !strings.Contains(got[i], want) {
			t.Fatalf("reply %d is %q, want the answer about %s: the order is %q", i, got[i], want, got)
		}
	}

	// Twilio reports them delivered, out of order with an older status.
	api.mu.Lock()
	sids := append([]string(nil), api.sids[x.phone]...)
	api.mu.Unlock()
	for _, sid := range sids {
		for _, st := range []string{"delivered", "sent"} {
			form := url.Values{"MessageSid": {sid}, "MessageStatus": {st}, "AccountSid": {smsAccount}}
			if code, _ := postTwilio(t, g.addr, "/sms/twilio/status", form); code != 200 {
				t.Fatalf("report: %d", code)
			}
		}
	}
	db, err := sqldb.Open(context.Background(), sqldb.Options{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Reader().Query(`SELECT m.delivery, COALESCE(s.status, '') FROM messages m
		LEFT JOIN sms_sends s ON s.message_id = m.id WHERE m.direction = 'out' ORDER BY m.seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var delivery, status string
		if err := rows.Scan(&delivery, &status); err != nil {
			t.Fatal(err)
		}
		if delivery != "sent" || status != "delivered" {
			t.Errorf("reply %d: delivery %q, provider status %q; want sent and delivered", n, delivery, status)
		}
		n++
	}
	if n != len(questions) {
		t.Fatalf("%d replies in the transcript, want %d", n, len(questions))
	}
}
