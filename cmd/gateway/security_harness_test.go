package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"

	"hotline/channels/sms"
	"hotline/tickets"
)

// The secrets of the fully configured gateway of the security tests.
const (
	secMetricsToken = "metrics-token-0123456789abcdef"
	secPathToken    = "ali-path-token-0123456789abcdef"
	// secWrongBearer is a well-formed bearer token the gateway does not know.
	secWrongBearer = "wrong-token-0123456789abcdef"
	// secForgedCookie has the shape of a console session but was never issued.
	secForgedCookie = "forged-session-0123456789abcdefghijklmnopqrstuv"
)

// secBoss is the supervisor of the security tests; liNa is their agent.
var secBoss = testAgent{id: "boss", name: "班长", role: "supervisor", max: 3}

// secured is a gateway with every surface switched on and guarded: the
// agent desk, the API and metrics tokens, the CRM webhook, WeChat, a
// signed SMS channel (Twilio) and one behind a path token (Alibaba Cloud).
type secured struct {
	*gw
	crm *fakeCRM
}

// startSecured runs the fully configured gateway; extra adds to or
// overrides its environment.
func startSecured(t *testing.T, extra map[string]string) *secured {
	t.Helper()
	crm := &fakeCRM{accepted: map[string]int{}}
	srv := httptest.NewServer(crm)
	t.Cleanup(srv.Close)
	aliyun := newAliyunAPI(t)

	path, env := configWith(t, fmt.Sprintf(`sms:
  - name: ali
    provider: aliyun
    signature: 中国电信
    path_token: %s
    allow: [127.0.0.1]
    aliyun:
      access_key_id: testId
      access_key_secret: testSecret
      sign_name: 中国电信
      template_code: SMS_0001
      api_url: %s
`, secPathToken, aliyun.srv.URL))
	cfg, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	withAccounts := strings.Replace(string(cfg), "  accounts: []", accountsYAML(t, []testAgent{liNa, secBoss}), 1)
	writeFile(t, path, withAccounts)

	for k, v := range ticketEnv(nil) {
		env[k] = v
	}
	wechatEnv(env)
	twilioEnv(env, newTwilioAPI(t))
	env["HOTLINE_METRICS_TOKEN"] = secMetricsToken
	env["HOTLINE_CRM_URL"] = srv.URL
	env["HOTLINE_CRM_SECRET"] = crmSecret
	for k, v := range extra {
		env[k] = v
	}
	g := startGatewayWith(t, Options{
		Args:   []string{"-config", path, "-addr", "127.0.0.1:0", "-data", t.TempDir()},
		Getenv: func(k string) string { return env[k] },
	})
	return &secured{gw: g, crm: crm}
}

// secrets are every credential the secured gateway knows or was sent;
// no answer may contain one.
func secrets(extra ...string) []string {
	return append([]string{testToken, secMetricsToken, secPathToken, secWrongBearer, secForgedCookie,
		crmSecret, wxToken, "gateway-test-secret", smsToken, testPassword, "testSecret"}, extra...)
}

// answer is a response read whole.
type answer struct {
	status int
	header http.Header
	body   string
}

// send does a request and reads its answer.
func send(t *testing.T, req *http.Request) answer {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusSwitchingProtocols {
		return answer{status: resp.StatusCode, header: resp.Header} // a websocket, closed at once
	}
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// newRequest builds a request to the gateway at addr.
func newRequest(t *testing.T, method, addr, path string, body []byte) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://"+addr+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// signCRM signs a CRM webhook request as the CRM does, at the given time.
func signCRM(req *http.Request, secret string, body []byte, at time.Time) {
	ts := strconv.FormatInt(at.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(tickets.HeaderTimestamp, ts)
	req.Header.Set(tickets.HeaderSignature, tickets.SignCRM([]byte(secret), ts, body))
}

// wechatQuery is a WeChat callback's query, signed with token at the
// given time.
func wechatQuery(token string, at time.Time) url.Values {
	ts, nonce := strconv.FormatInt(at.Unix(), 10), "nonce-sec"
	return url.Values{"timestamp": {ts}, "nonce": {nonce}, "signature": {util.Signature(token, ts, nonce)}}
}

// signTwilio signs a form for path as Twilio signs it, with token.
func signTwilio(req *http.Request, token, path string, form url.Values) {
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", sms.TwilioSignature(token, smsPublicURL+path, form))
}
