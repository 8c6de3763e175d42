package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/officialaccount"
	oaconfig "github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"
)

// wxBenchClients is how many followers call at once in the closed loop.
const wxBenchClients = 32

// wxPacedFollowers is how many followers the open loop's callbacks come
// from, in turn: many, as on a real account, so no one follower's
// messages queue behind each other.
const wxPacedFollowers = 2000

// wxBenchKey is the EncodingAESKey of the benchmark's account.
const wxBenchKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

// BenchmarkWeChatCallbacks compares the gateway's WeChat callback (a text
// answered from the knowledge base, in the passive reply) with a bare
// handler built on the same SDK that echoes the text, in plaintext and
// safe mode, through real servers on sockets, in the same run.
func BenchmarkWeChatCallbacks(b *testing.B) {
	env := wechatEnvB(map[string]string{"HOTLINE_LOG_LEVEL": "error", "HOTLINE_STORE_SYNCHRONOUS": os.Getenv("HOTLINE_STORE_SYNCHRONOUS"),
		"HOTLINE_WECHAT_AES_KEY": wxBenchKey, "HOTLINE_DIALOG_ANSWERS_PER_MINUTE": "0"})
	for _, mode := range []string{"plaintext", "safe"} {
		b.Run("bare/"+mode, func(b *testing.B) {
			srv := httptest.NewServer(bareWeChat())
			defer srv.Close()
			runCallbacks(b, strings.TrimPrefix(srv.URL, "http://"), mode == "safe")
		})
		var max float64
		b.Run("gateway/"+mode, func(b *testing.B) {
			g := startGatewayWith(b, Options{
				Args:   []string{"-config", testConfig(b), "-addr", "127.0.0.1:0", "-data", b.TempDir()},
				Getenv: func(k string) string { return env[k] },
			})
			defer g.stop()
			max = runCallbacks(b, g.addr, mode == "safe")
		})
		b.Run("gateway/"+mode+"/at80", func(b *testing.B) {
			g := startGatewayWith(b, Options{
				Args:   []string{"-config", testConfig(b), "-addr", "127.0.0.1:0", "-data", b.TempDir()},
				Getenv: func(k string) string { return env[k] },
			})
			defer g.stop()
			pacedCallbacks(b, g.addr, mode == "safe", 0.8*max)
		})
	}
}

func wechatEnvB(extra map[string]string) map[string]string {
	env := wechatEnv(nil)
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// bareWeChat is the SDK's server with an echo handler and nothing else.
func bareWeChat() http.Handler {
	oa := officialaccount.NewOfficialAccount(&oaconfig.Config{AppID: "wx00000000000000aa",
		AppSecret: "s", Token: wxToken, EncodingAESKey: wxBenchKey, Cache: cache.NewMemory()})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv := oa.GetServer(r, w)
		srv.SetMessageHandler(func(m *message.MixMessage) *message.Reply {
			return &message.Reply{MsgType: message.MsgTypeText, MsgData: message.NewText(m.Content)}
		})
		if err := srv.Serve(); err == nil {
			_ = srv.Send()
		}
	})
}

// runCallbacks spreads b.N callbacks over the followers as fast as they
// are answered, and reports and returns callbacks per second, with the
// p99 latency.
func runCallbacks(b *testing.B, addr string, safe bool) float64 {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: wxBenchClients}}
	return closedLoop(b, wxBenchClients, "callbacks/s", func(worker int, n int64) error {
		return callback(client, addr, fmt.Sprintf("oBench-%02d", worker), n, safe)
	})
}

// closedLoop runs b.N calls from workers at once, each making its next
// call as soon as the last is answered, and reports and returns calls per
// second (as unit), with the p99 latency.
func closedLoop(b *testing.B, workers int, unit string, call func(worker int, n int64) error) float64 {
	var next atomic.Int64
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := range workers {
		wg.Go(func() {
			for n := next.Add(1); n <= int64(b.N); n = next.Add(1) {
				t0 := time.Now()
				if err := call(w, n); err != nil {
					b.Error(err)
					return
				}
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	rate := float64(b.N) / time.Since(start).Seconds()
	b.ReportMetric(rate, unit)
	reportP99(b, lat)
	return rate
}

func reportP99(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100])/1e6, "p99_ms")
	}
}

// pacedCallbacks sends b.N callbacks at a fixed total rate, open loop:
// each starts on schedule whether or not the earlier ones are answered,
// from one of wxPacedFollowers followers in turn, each of whom has
// written once before the timing starts. It reports the rate reached and the
// p99 latency.
func pacedCallbacks(b *testing.B, addr string, safe bool, rate float64) {
	if rate <= 0 {
		b.Skip("no maximum rate measured")
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 512}}
	every := time.Duration(float64(time.Second) / rate)
	warmUp(b, client, addr, safe)
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for n := range b.N {
		time.Sleep(time.Until(start.Add(time.Duration(n) * every)))
		wg.Go(func() {
			t0 := time.Now()
			if err := callback(client, addr, fmt.Sprintf("oPaced-%04d", n%wxPacedFollowers), int64(wxPacedFollowers+n), safe); err != nil {
				b.Error(err)
				return
			}
			mu.Lock()
			lat = append(lat, time.Since(t0))
			mu.Unlock()
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "callbacks/s")
	b.ReportMetric(rate, "target/s")
	reportP99(b, lat)
}

// warmUp has every follower of the open loop write once, untimed, as the
// followers of a running account already have conversations.
func warmUp(b *testing.B, client *http.Client, addr string, safe bool) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range wxBenchClients {
		wg.Go(func() {
			for n := next.Add(1) - 1; n < wxPacedFollowers; n = next.Add(1) - 1 {
				if err := callback(client, addr, fmt.Sprintf("oPaced-%04d", n), n, safe); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// callback posts one text message and checks a reply came back.
func callback(client *http.Client, addr, openID string, n int64, safe bool) error {
	text := benchQuestions[n%int64(len(benchQuestions))]
	body := fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_hotline]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>`+
		`<CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content>`+
		`<MsgId>%d</MsgId></xml>`, openID, time.Now().Unix(), text, 900000+n)
	ts, nonce := fmt.Sprint(time.Now().Unix()), fmt.Sprint(n)
	q := url.Values{"timestamp": {ts}, "nonce": {nonce}, "signature": {util.Signature(wxToken, ts, nonce)}}
	if safe {
		enc, err := util.EncryptMsg([]byte("0123456789abcdef"), []byte(body), "wx00000000000000aa", wxBenchKey)
		if err != nil {
			return err
		}
		q.Set("encrypt_type", "aes")
		q.Set("msg_signature", util.Signature(wxToken, ts, nonce, string(enc)))
		body = `<xml><ToUserName><![CDATA[gh_hotline]]></ToUserName><Encrypt><![CDATA[` + string(enc) + `]]></Encrypt></xml>`
	}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost,
		"http://"+addr+"/wechat?"+q.Encode(), strings.NewReader(body))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || len(out) < 20 {
		return fmt.Errorf("callback: HTTP %d %q", resp.StatusCode, out)
	}
	return nil
}
