package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"

	"hotline/channels/sms"
	"hotline/tickets"
)

// outageHalf is half of a provider's outage in the tests under load: so
// long with 500s, then so long with requests left unanswered.
const outageHalf = 30 * time.Second

// offsetClock is the wall clock plus an offset a test moves forward, to
// skip the gateway's backoff after a real outage.
type offsetClock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now returns the wall clock's time plus the offset.
func (c *offsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *offsetClock) advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// smsQuestions are what the texters under load ask in turn, each with a
// word its answer contains.
var smsQuestions = []struct{ text, answer string }{
	{"营业厅几点开门", "营业"}, {"怎么开发票", "发票"}, {"宽带怎么移机", "移机"},
}

// loadTexter texts the gateway until told to stop, one question at a time,
// and keeps the questions it was told were taken.
type loadTexter struct {
	addr, phone string
	taken       []int // index into smsQuestions, in the order sent
	err         error
}

// keepTexting posts a question every interval; every fifth one is posted
// twice under the same MessageSid, as a provider retries a webhook whose
// answer it did not get.
func (x *loadTexter) keepTexting(quit <-chan struct{}, interval time.Duration) {
	for n := 0; ; n++ {
		select {
		case <-quit:
			return
		case <-time.After(interval):
		}
		q := n % len(smsQuestions)
		sid := fmt.Sprintf("SM%s%05d", strings.TrimPrefix(x.phone, "+"), n)
		for range 1 + boolInt(n%5 == 4) {
			if err := postSMS(x.addr, x.phone, sid, smsQuestions[q].text); err != nil {
				x.err = err
				return
			}
		}
		x.taken = append(x.taken, q)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// postSMS posts one signed Twilio webhook and wants it taken.
func postSMS(addr, phone, sid, body string) error {
	form := url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "AccountSid": {smsAccount}, "From": {phone},
		"To": {smsFrom}, "Body": {body}, "NumMedia": {"0"}, "SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"}}
	path := "/sms/twilio/inbound"
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", sms.TwilioSignature(smsToken, smsPublicURL+path, form))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "<Response/>") {
		return fmt.Errorf("inbound webhook %s: HTTP %d %q", sid, resp.StatusCode, b)
	}
	return nil
}

// The SMS provider fails for a minute while subscribers keep texting:
// half of it with 500s, half without answering at all. Every text is
// taken while it lasts and the gateway stays ready; once the provider is
// back, each text is answered exactly once, in order, a webhook the
// provider posted twice is answered once, and a new text is answered at
// once. A provider that took a send and then timed out cannot be told
// from one that did not take it; this fake takes none.
func TestFaults_SMSProviderDownAMinuteUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a minute-long outage; it runs without -short")
	}
	t.Parallel()
	api := newTwilioAPI(t)
	clock := &offsetClock{}
	env := twilioEnv(map[string]string{"HOTLINE_DIALOG_ANSWERS_PER_MINUTE": "0"}, api)
	g := startGatewayWith(t, Options{
		Args:   []string{"-config", testConfig(t), "-addr", "127.0.0.1:0", "-data", t.TempDir()},
		Getenv: func(k string) string { return env[k] }, Clock: clock,
	})

	api.setFailure("error")
	quit := make(chan struct{})
	var wg sync.WaitGroup
	texters := make([]*loadTexter, 10)
	for i := range texters {
		texters[i] = &loadTexter{addr: g.addr, phone: fmt.Sprintf("+86133%08d", 40000+i)}
		wg.Go(func() { texters[i].keepTexting(quit, 3*time.Second) })
	}
	time.Sleep(outageHalf)
	refused500 := api.refusals()
	api.setFailure("hang")
	time.Sleep(outageHalf)
	if readiness(t, g.addr) != http.StatusOK {
		t.Error("the gateway is not ready while the provider is down")
	}
	close(quit)
	wg.Wait()
	hung := api.refusals() - refused500
	api.setFailure("")

	// The backoff after a minute of failures is minutes long; move the
	// clock past it rather than wait. The replies waiting then go out at
	// the provider's send rate (10 a second).
	clock.advance(10 * time.Minute)
	total := 0
	for _, x := range texters {
		if x.err != nil {
			t.Fatal(x.err)
		}
		total += len(x.taken)
	}
	back := time.Now()
	deadline := back.Add(time.Duration(total)*time.Second/10 + 30*time.Second)
	for _, x := range texters {
		for len(api.to(x.phone)) < len(x.taken) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d of %d texts answered %s after the outage", x.phone[len(x.phone)-4:],
					len(api.to(x.phone)), len(x.taken), time.Since(back).Round(time.Second))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	caughtUp := time.Since(back)
	time.Sleep(time.Second) // room for a wrong second send
	for _, x := range texters {
		assertAnsweredInOrder(t, x.phone, api.to(x.phone), x.taken)
	}

	x := &texter{t: t, addr: g.addr, phone: texters[0].phone, api: api, n: 1000}
	if got := x.text("营业厅几点开门"); len(got) != 1 || !strings.Contains(got[0], "营业") {
		t.Errorf("a text after the outage got %q, want its answer at once", got)
	}
	t.Logf("%d texts from %d subscribers during the outage; %d sends refused with 500s, %d left unanswered; "+
		"all answered %s after it", total, len(texters), refused500, hung, caughtUp.Round(100*time.Millisecond))
	// The breaker pauses sends after a few failures and tests the
	// provider now and then, so each half of the outage sees a few tries.
	if refused500 == 0 || hung == 0 {
		t.Errorf("%d sends refused and %d hung: the outage did not meet the load", refused500, hung)
	}
	if refused500+hung >= total {
		t.Errorf("%d tries for %d texts: the failing provider was not spared", refused500+hung, total)
	}
}

// assertAnsweredInOrder wants one reply per question, each the answer to
// the question in its place.
func assertAnsweredInOrder(t *testing.T, who string, got []string, asked []int) {
	t.Helper()
	if len(got) != len(asked) {
		t.Errorf("%s: %d replies to %d texts, want one each", who[len(who)-4:], len(got), len(asked))
		return
	}
	for i, q := range asked {
		if !strings.Contains(got[i], smsQuestions[q].answer) {
			t.Errorf("%s: reply %d is %q, want the answer about %s", who[len(who)-4:], i, got[i], smsQuestions[q].answer)
			return
		}
	}
}

// WeChat's API says it is busy (-1), then that the follower's window is
// closed (45015): the busy send is tried again and delivered once; the
// closed window is not retried, and the agent is told the reply did not
// reach the follower.
func TestFaults_WeChatBusyThenWindowClosed(t *testing.T) {
	g := startDesk(t, wechatEnv(nil), liNa)
	agent := openConsole(t, g.addr, "li.na")
	agent.ready()
	f := follower{t: t, addr: g.addr, openID: "oWX-faults-0001"}
	f.say("转人工", 4001)
	conv := agent.want("assigned", nil).View.Conversation
	api := wechatAPI()
	waitUntil(t, "the joining notice through the API", func() bool { return len(api.sentTo(f.openID)) == 1 })

	api.failNext(f.openID, -1)
	agent.must("reply", map[string]any{"conversation": conv, "client_id": "busy", "text": "系统繁忙也要送到"})
	deadline := time.Now().Add(30 * time.Second)
	for countOf(api.sentTo(f.openID), "系统繁忙也要送到") == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the reply after -1 was not delivered: %q", api.sentTo(f.openID))
		}
		time.Sleep(50 * time.Millisecond)
	}

	tries := api.tried(f.openID)
	api.failNext(f.openID, 45015)
	agent.must("reply", map[string]any{"conversation": conv, "client_id": "late", "text": "窗口已关闭的回复"})
	failed := agent.want("delivery", nil)
	if failed.Conversation != conv {
		t.Fatalf("delivery frame = %s, want the conversation's", failed.raw)
	}
	time.Sleep(6 * time.Second) // past the first backoff: a wrong retry would be tried by now
	if n := api.tried(f.openID) - tries; n != 1 {
		t.Errorf("the 45015 send was tried %d times, want once", n)
	}
	sent := api.sentTo(f.openID)
	if countOf(sent, "系统繁忙也要送到") != 1 || countOf(sent, "窗口已关闭的回复") != 0 {
		t.Errorf("sent %q: want the busy reply once and the late one never", sent)
	}
}

func countOf(texts []string, text string) int {
	n := 0
	for _, s := range texts {
		if s == text {
			n++
		}
	}
	return n
}

// flakyCRM answers 500s, then hangs past the gateway's timeout, then
// works; it records the events it accepted by idempotency key.
type flakyCRM struct {
	mu        sync.Mutex
	until500  time.Time
	untilHang time.Time
	tries     int
	accepted  map[string]int
	order     []int64        // the seq of each event accepted the first time
	tickets   map[string]int // events accepted, by ticket id
}

func (f *flakyCRM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.tries++
	now := time.Now()
	switch {
	case now.Before(f.until500):
		f.mu.Unlock()
		w.WriteHeader(http.StatusInternalServerError)
		return
	case now.Before(f.untilHang):
		f.mu.Unlock()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		return
	}
	defer f.mu.Unlock()
	var e tickets.CRMEvent
	if err := json.Unmarshal(body, &e); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	key := r.Header.Get(tickets.HeaderIdempotencyKey)
	f.accepted[key]++
	if f.accepted[key] == 1 {
		f.order = append(f.order, e.Seq)
		f.tickets[e.Ticket.ID]++
	}
}

// delivered is how many events the CRM accepted, each counted once.
func (f *flakyCRM) delivered() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.order)
}

// ticketOpener opens tickets through the API until told to stop, one
// every interval, each under its own idempotency key; every fourth one is
// sent twice with the same key, as a client retries a request whose
// answer it lost.
type ticketOpener struct {
	base   string
	opened []string // ticket ids, in the order opened
	err    error
}

func (o *ticketOpener) keepOpening(quit <-chan struct{}, who int, interval time.Duration) {
	for n := 0; ; n++ {
		select {
		case <-quit:
			return
		case <-time.After(interval):
		}
		body := fmt.Sprintf(`{"kind":"fault","summary":"CRM 断开时的故障 %d-%d","phone":"13900002222"}`, who, n)
		key := fmt.Sprintf("opener-%d-%d", who, n)
		id, err := o.open(body, key)
		if err == nil && n%4 == 3 {
			var again string
			if again, err = o.open(body, key); err == nil && again != id {
				err = fmt.Errorf("the retry of %s opened %s, want the same ticket %s", key, again, id)
			}
		}
		if err != nil {
			o.err = err
			return
		}
		o.opened = append(o.opened, id)
	}
}

// open posts one ticket and returns its id.
func (o *ticketOpener) open(body, key string) (string, error) {
	req, _ := http.NewRequest(http.MethodPost, o.base+"/tickets", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		ID string `json:"id"`
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("open ticket %s: HTTP %d %s", key, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, &out); err != nil || out.ID == "" {
		return "", fmt.Errorf("open ticket %s: no id in %s", key, b)
	}
	return out.ID, nil
}

// The CRM fails for a minute while tickets keep being opened: half of it
// with 500s, half by timing out. Every ticket is opened at once all the
// while; once the CRM is back, each ticket's event reaches it exactly
// once and in order, within crm.max_wait, and a client's retry of a
// request makes no second ticket or event.
func TestFaults_CRMDownAMinuteUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a minute-long outage; it runs without -short")
	}
	t.Parallel()
	start := time.Now()
	crm := &flakyCRM{until500: start.Add(outageHalf), untilHang: start.Add(2 * outageHalf),
		accepted: map[string]int{}, tickets: map[string]int{}}
	srv := httptest.NewServer(crm)
	defer srv.Close()
	g := startGateway(t, t.TempDir(), ticketEnv(map[string]string{
		"HOTLINE_CRM_URL": srv.URL, "HOTLINE_CRM_SECRET": crmSecret,
		"HOTLINE_CRM_TIMEOUT": "1s", "HOTLINE_CRM_MAX_WAIT": "5s",
	}))

	quit := make(chan struct{})
	var wg sync.WaitGroup
	openers := make([]*ticketOpener, 4)
	for i := range openers {
		openers[i] = &ticketOpener{base: "http://" + g.addr + "/api/v1"}
		wg.Go(func() { openers[i].keepOpening(quit, i, 100*time.Millisecond) })
	}
	time.Sleep(time.Until(crm.untilHang))
	close(quit)
	wg.Wait()
	opened := map[string]bool{}
	for _, o := range openers {
		if o.err != nil {
			t.Fatal(o.err)
		}
		for _, id := range o.opened {
			opened[id] = true
		}
	}
	if crm.delivered() != 0 {
		t.Fatalf("%d events delivered while the CRM was down", crm.delivered())
	}

	back := time.Now()
	waitUntil(t, "every ticket's event at the CRM", func() bool { return crm.delivered() >= len(opened) })
	caughtUp := time.Since(back)
	time.Sleep(500 * time.Millisecond) // room for a wrong second delivery

	crm.mu.Lock()
	defer crm.mu.Unlock()
	t.Logf("%d tickets opened during the outage, %d CRM calls failed; all delivered %s after it ended",
		len(opened), crm.tries-len(crm.order), caughtUp.Round(100*time.Millisecond))
	if caughtUp > 5*time.Second+time.Second {
		t.Errorf("the events took %s to reach the CRM once it was back, want within crm.max_wait (5s)", caughtUp)
	}
	for key, n := range crm.accepted {
		if n != 1 {
			t.Errorf("event %s accepted %d times", key, n)
		}
	}
	for id := range opened {
		if crm.tickets[id] != 1 {
			t.Errorf("ticket %s: %d events at the CRM, want its opening once", id, crm.tickets[id])
		}
	}
	if len(crm.tickets) != len(opened) {
		t.Errorf("events of %d tickets at the CRM, %d opened", len(crm.tickets), len(opened))
	}
	for i := 1; i < len(crm.order); i++ {
		if crm.order[i-1] >= crm.order[i] {
			t.Fatalf("events out of order: %d before %d", crm.order[i-1], crm.order[i])
		}
	}
}

// loadFollower writes to the account until told to stop, one question at
// a time, and keeps which questions were answered in the callback's
// passive reply and which are left to the customer-service API.
type loadFollower struct {
	addr, openID string
	asked        []int        // index into smsQuestions, in the order sent
	passive      []string     // the passive replies' texts
	passiveTo    map[int]bool // the questions (by number) answered in a passive reply
	err          error
}

// keepWriting asks a question, waits until reached(n) says the answer to
// question n reached the follower (or was refused) and a moment more, as
// a person reads, then asks the next; every fifth one is posted twice with
// the same MsgId, as WeChat repeats a callback. Answers are awaited
// because WeChat lets an account send a follower only 5 messages after
// each of theirs: a follower who writes faster than the answers go out
// loses the rest to that quota, as they would on WeChat.
func (f *loadFollower) keepWriting(quit <-chan struct{}, who int, reached func(n int) bool) {
	for n := 0; ; n++ {
		select {
		case <-quit:
			return
		case <-time.After(200 * time.Millisecond):
		}
		q := n % len(smsQuestions)
		msgID := int64(7_000_000 + who*1000 + n)
		for range 1 + boolInt(n%5 == 4) {
			reply, err := wxCallback(f.addr, f.openID, smsQuestions[q].text, msgID)
			if err != nil {
				f.err = err
				return
			}
			if reply != "" {
				f.passive = append(f.passive, reply)
				f.passiveTo[n] = true
			}
		}
		f.asked = append(f.asked, q)
		deadline := time.Now().Add(30 * time.Second)
		for !reached(n) {
			if time.Now().After(deadline) {
				f.err = fmt.Errorf("%s: no answer to question %d in 30s", f.openID, n)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// wxCallback posts a signed text callback and returns the passive reply's
// text ("" for success).
func wxCallback(addr, openID, text string, msgID int64) (string, error) {
	body := fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_hotline]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>`+
		`<CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content>`+
		`<MsgId>%d</MsgId></xml>`, openID, time.Now().Unix(), text, msgID)
	ts, nonce := fmt.Sprint(time.Now().Unix()), "nonce1"
	q := url.Values{"timestamp": {ts}, "nonce": {nonce}, "signature": {util.Signature(wxToken, ts, nonce)}}
	resp, err := http.Post("http://"+addr+"/wechat?"+q.Encode(), "text/xml", strings.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("callback %d: HTTP %d %s", msgID, resp.StatusCode, b)
	}
	if string(b) == "success" {
		return "", nil
	}
	var x struct {
		Content string `xml:"Content"`
	}
	if err := xmlUnmarshal(b, &x); err != nil {
		return "", fmt.Errorf("passive reply %q: %v", b, err)
	}
	return x.Content, nil
}

// WeChat's API says it is busy (-1) to one send in four while followers
// keep writing, and refuses every send to some followers as outside their
// window (45015). The replies are too slow for the callback, so each goes
// through the API. Each busy send is tried again and delivered once, in
// order; each refused one is tried once and never again; a repeated
// callback makes no second answer; the gateway stays ready.
func TestFaults_WeChatBusyAndClosedUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("twenty seconds of load; it runs without -short")
	}
	t.Parallel()
	g := startGateway(t, t.TempDir(), wechatEnv(map[string]string{
		"HOTLINE_WECHAT_REPLY_BUDGET": "1ms", "HOTLINE_DIALOG_ANSWERS_PER_MINUTE": "0",
	}))
	api := wechatAPI()
	followers := make([]*loadFollower, 24)
	closed := func(i int) bool { return i < 3 }
	for i := range followers {
		followers[i] = &loadFollower{addr: g.addr, openID: fmt.Sprintf("oWX-underload-%04d", i), passiveTo: map[int]bool{}}
		if closed(i) {
			api.failBy(followers[i].openID, func(int) int { return 45015 })
		} else {
			api.failBy(followers[i].openID, func(n int) int { return -boolInt(n%4 == 1) })
		}
	}

	quit := make(chan struct{})
	var wg sync.WaitGroup
	for i, f := range followers {
		reached := func(n int) bool { return len(f.passive)+len(api.sentTo(f.openID)) > n }
		if closed(i) {
			reached = func(n int) bool { return len(f.passive)+api.tried(f.openID) > n }
		}
		wg.Go(func() { f.keepWriting(quit, i, reached) })
	}
	time.Sleep(20 * time.Second)
	if readiness(t, g.addr) != http.StatusOK {
		t.Error("the gateway is not ready while WeChat's API fails")
	}
	close(quit)
	wg.Wait()
	total, busy := 0, 0
	for _, f := range followers {
		if f.err != nil {
			t.Fatal(f.err)
		}
		total += len(f.asked)
	}
	time.Sleep(6 * time.Second) // past the first backoff: a wrong retry or second send happens by now

	for i, f := range followers {
		byAPI := len(f.asked) - len(f.passive)
		if closed(i) {
			if n, sent := api.tried(f.openID), len(api.sentTo(f.openID)); n != byAPI || sent != 0 {
				t.Errorf("%s (window closed): %d sends tried and %d taken for %d answers, want each tried once and none taken",
					f.openID, n, sent, byAPI)
			}
			continue
		}
		busy += api.tried(f.openID) - byAPI
		assertWeChatAnswers(t, f, api.sentTo(f.openID))
	}
	t.Logf("%d questions from %d followers; %d sends refused as busy and tried again", total, len(followers), busy)
	if busy == 0 {
		t.Error("no send was refused as busy: the fault did not meet the load")
	}
}

// assertWeChatAnswers wants each question answered once, in the passive
// reply or through the API, and the API's answers in the order asked.
func assertWeChatAnswers(t *testing.T, f *loadFollower, sent []string) {
	t.Helper()
	if len(f.passive)+len(sent) != len(f.asked) {
		t.Errorf("%s: %d passive replies and %d sent for %d questions, want one answer each",
			f.openID, len(f.passive), len(sent), len(f.asked))
		return
	}
	next := 0
	for i, q := range f.asked {
		if f.passiveTo[i] {
			continue
		}
		if !strings.Contains(sent[next], smsQuestions[q].answer) {
			t.Errorf("%s: answer %d is %q, want the one about %s", f.openID, i, sent[next], smsQuestions[q].answer)
			return
		}
		next++
	}
}
