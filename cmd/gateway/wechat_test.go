package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// The WeChat SDK's API address is set once per process, so every gateway
// test with WeChat talks to this one fake of WeChat's API.
var (
	wxOnce sync.Once
	wxAPI  *fakeWXAPI
)

// fakeWXAPI answers the token and customer-service send endpoints and
// keeps what was sent.
type fakeWXAPI struct {
	url  string
	mu   sync.Mutex
	sent []struct{ to, text string }
	menu []byte // the last menu set

	fail     map[string][]int                 // errcodes the next sends to a follower get, in order
	attempts map[string]int                   // sends tried, by follower
	rules    map[string]func(attempt int) int // errcode of each later send (0: taken), by follower
}

func wechatAPI() *fakeWXAPI {
	wxOnce.Do(func() {
		wxAPI = &fakeWXAPI{fail: map[string][]int{}, attempts: map[string]int{}, rules: map[string]func(int) int{}}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/cgi-bin/token", "/cgi-bin/stable_token":
				_, _ = io.WriteString(w, `{"access_token":"TOKEN-1","expires_in":7200}`)
			case "/cgi-bin/message/custom/send":
				var m struct {
					ToUser string `json:"touser"`
					Text   struct {
						Content string `json:"content"`
					} `json:"text"`
				}
				_ = json.NewDecoder(r.Body).Decode(&m)
				wxAPI.mu.Lock()
				wxAPI.attempts[m.ToUser]++
				if codes := wxAPI.fail[m.ToUser]; len(codes) > 0 {
					wxAPI.fail[m.ToUser] = codes[1:]
					wxAPI.mu.Unlock()
					_, _ = fmt.Fprintf(w, `{"errcode":%d,"errmsg":"injected failure"}`, codes[0])
					return
				}
				if rule := wxAPI.rules[m.ToUser]; rule != nil {
					if code := rule(wxAPI.attempts[m.ToUser]); code != 0 {
						wxAPI.mu.Unlock()
						_, _ = fmt.Fprintf(w, `{"errcode":%d,"errmsg":"injected failure"}`, code)
						return
					}
				}
				wxAPI.sent = append(wxAPI.sent, struct{ to, text string }{m.ToUser, m.Text.Content})
				wxAPI.mu.Unlock()
				_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
			case "/cgi-bin/menu/create":
				b, _ := io.ReadAll(r.Body)
				wxAPI.mu.Lock()
				wxAPI.menu = b
				wxAPI.mu.Unlock()
				_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
			default:
				http.NotFound(w, r)
			}
		}))
		wxAPI.url = srv.URL // lives as long as the test binary
	})
	return wxAPI
}

// failNext makes the next sends to a follower fail with these errcodes.
func (f *fakeWXAPI) failNext(openID string, codes ...int) {
	f.mu.Lock()
	f.fail[openID] = append(f.fail[openID], codes...)
	f.mu.Unlock()
}

// failBy makes every later send to a follower answer rule(n), n counting
// the sends tried to that follower from 1; 0 takes the send.
func (f *fakeWXAPI) failBy(openID string, rule func(attempt int) int) {
	f.mu.Lock()
	f.rules[openID] = rule
	f.mu.Unlock()
}

// tried is how many sends to a follower were tried.
func (f *fakeWXAPI) tried(openID string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts[openID]
}

// sentTo returns the customer-service texts sent to a follower.
func (f *fakeWXAPI) sentTo(openID string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, s := range f.sent {
		if s.to == openID {
			out = append(out, s.text)
		}
	}
	return out
}

const wxToken = "gateway-test-token"

// wechatEnv configures the test account.
func wechatEnv(env map[string]string) map[string]string {
	if env == nil {
		env = map[string]string{}
	}
	env["HOTLINE_WECHAT_APPID"] = "wx00000000000000aa"
	env["HOTLINE_WECHAT_SECRET"] = "gateway-test-secret"
	env["HOTLINE_WECHAT_TOKEN"] = wxToken
	env["HOTLINE_WECHAT_API_URL"] = wechatAPI().url
	return env
}

// follower is a WeChat user writing to the account through the gateway.
type follower struct {
	t      *testing.T
	addr   string
	openID string
}

// say posts a text message, signed as WeChat does, and returns the
// passive reply's text ("" for success).
func (f follower) say(text string, msgID int64) string {
	f.t.Helper()
	body := fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_hotline]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>`+
		`<CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content>`+
		`<MsgId>%d</MsgId></xml>`, f.openID, time.Now().Unix(), text, msgID)
	return f.post(body)
}

func (f follower) post(body string) string {
	f.t.Helper()
	ts, nonce := fmt.Sprint(time.Now().Unix()), "nonce1"
	q := url.Values{"timestamp": {ts}, "nonce": {nonce}, "signature": {util.Signature(wxToken, ts, nonce)}}
	resp, err := http.Post("http://"+f.addr+"/wechat?"+q.Encode(), "text/xml", strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("callback: HTTP %d %s", resp.StatusCode, b)
	}
	if string(b) == "success" {
		return ""
	}
	var x struct {
		Content string `xml:"Content"`
	}
	if err := xmlUnmarshal(b, &x); err != nil {
		f.t.Fatalf("passive reply %q: %v", b, err)
	}
	return x.Content
}

// A follower's question is answered from the knowledge base in the
// passive reply, and nothing personal reaches the logs.
func TestWeChat_AnswersInThePassiveReply(t *testing.T) {
	g := startGateway(t, t.TempDir(), wechatEnv(nil))
	f := follower{t: t, addr: g.addr, openID: "oWX-answer-0001"}
	reply := f.say("营业厅几点开门", 1001)
	if reply == "" || !strings.Contains(reply, "营业") {
		t.Fatalf("passive reply = %q, want the answer", reply)
	}
	if sent := wechatAPI().sentTo(f.openID); len(sent) != 0 {
		t.Fatalf("the API was used for a reply ready in time: %q", sent)
	}
	for _, secret := range []string{f.openID, "营业厅几点开门", "gateway-test-secret", "TOKEN-1"} {
		if strings.Contains(g.logs.String(), secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

// wechatFaultSummary answers the broadband fault form through next (one
// follower message, its passive reply) up to the summary to confirm.
func wechatFaultSummary(t *testing.T, next func(string) string) string {
	t.Helper()
	reply := next("家里宽带断网了")
	for step := 0; !strings.Contains(reply, "请核对") && step < 10; step++ {
		switch {
		case strings.Contains(reply, "宽带账号"):
			reply = next("ad12345678")
		case strings.Contains(reply, "哪个区"):
			reply = next("朝阳区")
		case strings.Contains(reply, "详细地址"):
			reply = next("朝阳区建国路88号3单元502")
		case strings.Contains(reply, "什么时候开始"):
			reply = next("今天")
		case strings.Contains(reply, "电话"):
			reply = next("13812345678")
		case strings.Contains(reply, "什么时间方便"):
			reply = next("下午")
		default:
			t.Fatalf("unexpected question %q", reply)
		}
	}
	if !strings.Contains(reply, "请核对") {
		t.Fatalf("no summary to confirm: %q", reply)
	}
	return reply
}

var ticketNumber = regexp.MustCompile(`TK\d{8}-\d{6}`)

// WeChat's three deliveries of one message, arriving at once, make one
// ticket and one reply.
func TestWeChat_RetryStormMakesOneTicket(t *testing.T) {
	g := startGateway(t, t.TempDir(), wechatEnv(nil))
	f := follower{t: t, addr: g.addr, openID: "oWX-storm-0001"}
	id := int64(2000)
	next := func(text string) string {
		id++
		return f.say(text, id)
	}
	wechatFaultSummary(t, next)

	id++
	replies := make([]string, 3)
	var wg sync.WaitGroup
	for i := range replies {
		wg.Go(func() { replies[i] = f.say("确认", id) })
	}
	wg.Wait()
	all := strings.Join(append(replies, wechatAPI().sentTo(f.openID)...), "\n")
	if got := ticketNumber.FindAllString(all, -1); len(got) != 1 {
		t.Fatalf("ticket numbers told %q in %q, want exactly one", got, all)
	}
	list := next("查询工单")
	if got := ticketNumber.FindAllString(list, -1); len(got) != 1 {
		t.Fatalf("the follower's tickets: %q, want one", list)
	}
}

// A follower hands over to an agent: the agent sees the conversation on
// the wechat channel, and the agent's reply reaches the follower through
// the customer-service API.
func TestWeChat_HandoffToAnAgent(t *testing.T) {
	g := startDesk(t, wechatEnv(nil), liNa)
	agent := openConsole(t, g.addr, "li.na")
	agent.ready()
	f := follower{t: t, addr: g.addr, openID: "oWX-agent-0001"}
	f.say("转人工", 3001)
	got := agent.want("assigned", nil)
	if got.View.Channel != "wechat" || !hasMessage(got.View.Messages, "subscriber", "转人工") {
		t.Fatalf("assigned view = %s", got.raw)
	}
	agent.must("reply", map[string]any{"conversation": got.View.Conversation, "client_id": "w1", "text": "您好，我是李娜"})
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(strings.Join(wechatAPI().sentTo(f.openID), "\n"), "我是李娜") {
		if time.Now().After(deadline) {
			t.Fatalf("the follower got %q, want the agent's reply", wechatAPI().sentTo(f.openID))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if reply := f.say("我的宽带断了", 3002); reply != "" {
		t.Fatalf("the bot answered %q while the agent holds the conversation", reply)
	}
	agent.want("message", func(m aframe) bool { return m.Message.Text == "我的宽带断了" })

	// WeChat allows five customer-service messages after a follower's
	// message; the agent is told when one more is not delivered.
	for i := range 6 {
		agent.must("reply", map[string]any{"conversation": got.View.Conversation,
			"client_id": fmt.Sprint("q", i), "text": fmt.Sprint("第", i+1, "条")})
	}
	failed := agent.want("delivery", nil)
	if !strings.Contains(failed.raw, "quota") || failed.Conversation != got.View.Conversation {
		t.Fatalf("delivery frame = %s, want the quota named", failed.raw)
	}
	// Through the API: the agent's joining and first reply, then five
	// after the follower's second message.
	if n := len(wechatAPI().sentTo(f.openID)); n != 7 {
		t.Fatalf("%d messages went through the API, want 7", n)
	}
}

// The gateway sets the account's menu from the settings and exits.
func TestWeChat_MenuCommand(t *testing.T) {
	api := wechatAPI()
	env := wechatEnv(nil)
	err := Run(t.Context(), Options{
		Args:   []string{"-config", testConfig(t), "-data", t.TempDir(), "-wechat-menu"},
		Getenv: func(k string) string { return env[k] },
	})
	if err != nil {
		t.Fatal(err)
	}
	api.mu.Lock()
	menu := string(api.menu)
	api.mu.Unlock()
	for _, want := range []string{"故障报修", "FAULT_REPORT", "我的工单", "转人工", `"type":"click"`} {
		if !strings.Contains(menu, want) {
			t.Errorf("menu %s lacks %s", menu, want)
		}
	}
	err = Run(t.Context(), Options{
		Args: []string{"-config", testConfig(t), "-data", t.TempDir(), "-wechat-menu"}})
	if err == nil || !strings.Contains(err.Error(), "wechat.appid") {
		t.Fatalf("without an account: %v, want an error naming wechat.appid", err)
	}
}

func xmlUnmarshal(b []byte, v any) error { return xml.Unmarshal(b, v) }

// With redis.url set the gateway connects to Redis at start and serves
// (the token's sharing itself is tested in channels/wechat); a Redis that
// does not answer stops it at start with the key named.
func TestWeChat_RedisURL(t *testing.T) {
	env := wechatEnv(map[string]string{"HOTLINE_REDIS_URL": "redis://127.0.0.1:1/0"})
	err := Run(t.Context(), Options{
		Args:   []string{"-config", testConfig(t), "-addr", "127.0.0.1:0", "-data", t.TempDir()},
		Getenv: func(k string) string { return env[k] },
	})
	if err == nil || !strings.Contains(err.Error(), "redis.url") {
		t.Fatalf("with a dead Redis: %v, want an error naming redis.url", err)
	}

	env = wechatEnv(map[string]string{"HOTLINE_REDIS_URL": "redis://127.0.0.1:6379/0"})
	if !redisAnswers() {
		msg := "Redis is needed for this test: start redis-server on 127.0.0.1:6379"
		if os.Getenv("HOTLINE_REQUIRE_SERVICES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	g := startGateway(t, t.TempDir(), env)
	f := follower{t: t, addr: g.addr, openID: "oWX-redis-0001"}
	if reply := f.say("营业厅几点开门", 4001); reply == "" {
		t.Fatal("no answer with Redis configured")
	}
}

// redisAnswers reports whether the test Redis is up.
func redisAnswers() bool {
	c, err := net.DialTimeout("tcp", "127.0.0.1:6379", time.Second)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}
