package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAliyunAPI is Alibaba Cloud's SendSms: it keeps each text by number
// (the template's content variable) and answers with a new BizId.
type fakeAliyunAPI struct {
	srv  *httptest.Server
	mu   sync.Mutex
	sent map[string][]string
}

func newAliyunAPI(t *testing.T) *fakeAliyunAPI {
	f := &fakeAliyunAPI{sent: map[string][]string{}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		var param map[string]string
		if r.PostForm.Get("Action") != "SendSms" || r.PostForm.Get("Signature") == "" ||
			json.Unmarshal([]byte(r.PostForm.Get("TemplateParam")), &param) != nil {
			_, _ = io.WriteString(w, `{"Code":"isv.INVALID_PARAMETERS","Message":"bad"}`)
			return
		}
		f.mu.Lock()
		to := r.PostForm.Get("PhoneNumbers")
		f.sent[to] = append(f.sent[to], param["content"])
		n := len(f.sent[to])
		f.mu.Unlock()
		_, _ = fmt.Fprintf(w, `{"Code":"OK","Message":"OK","BizId":"%s%d","RequestId":"r"}`, to, n)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAliyunAPI) to(number string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent[number]...)
}

// configWith writes the shipped configuration with extra YAML appended to
// a folder of the test's, and returns its path and the environment that
// points the shipped files' relative paths back at configs/.
func configWith(t *testing.T, extra string) (string, map[string]string) {
	t.Helper()
	return configWithB(t, extra)
}

// configWithB is configWith for tests and benchmarks alike.
func configWithB(t testing.TB, extra string) (string, map[string]string) {
	t.Helper()
	shipped := testConfigText(t)
	// The shipped file's empty sms list gives way to the test's.
	shipped = bytes.Replace(shipped, []byte("\nsms: []\n"), []byte("\n"), 1)
	path := filepath.Join(t.TempDir(), "gateway.yaml")
	if err := os.WriteFile(path, append(shipped, []byte("\n"+extra)...), 0o600); err != nil {
		t.Fatal(err)
	}
	dir, _ := filepath.Abs("../../configs")
	env := map[string]string{}
	for key, file := range map[string]string{"HOTLINE_KB_PATH": "faq.yaml", "HOTLINE_DIALOG_INTENTS_PATH": "intents.yaml",
		"HOTLINE_DIALOG_MESSAGES_PATH": "messages.yaml", "HOTLINE_DIALOG_FLOWS_PATH": "flows.yaml",
		"HOTLINE_AGENT_CALENDAR_PATH": "calendar-2026.yaml", "HOTLINE_AGENT_CANNED_PATH": "canned.yaml"} {
		env[key] = filepath.Join(dir, file)
	}
	return path, env
}

// An Alibaba Cloud channel: its unsigned pushes need the path token and
// an allowed address; one push carries several messages; a repeated push
// is acknowledged the same and answered once.
func TestSMS_AliyunPushes(t *testing.T) {
	api := newAliyunAPI(t)
	path, env := configWith(t, fmt.Sprintf(`sms:
  - name: ali
    provider: aliyun
    signature: 中国电信
    path_token: tok-0123456789abcdef
    allow: [127.0.0.1]
    aliyun:
      access_key_id: testId
      access_key_secret: testSecret
      sign_name: 中国电信
      template_code: SMS_0001
      api_url: %s
`, api.srv.URL))
	g := startGatewayWith(t, Options{
		Args:   []string{"-config", path, "-addr", "127.0.0.1:0", "-data", t.TempDir()},
		Getenv: func(k string) string { return env[k] },
	})
	push := func(path, body string) (int, string) {
		resp, err := http.Post("http://"+g.addr+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	now := time.Now().Format("2006-01-02 15:04:05")
	up := fmt.Sprintf(`[{"phone_number":"13800138000","content":"营业厅几点开门","send_time":%q,"dest_code":"1234","sequence_id":"1001"},`+
		`{"phone_number":"13900139000","content":"CX","send_time":%q,"dest_code":"1234","sequence_id":1002}]`, now, now)

	if st, _ := push("/sms/ali/inbound", up); st != http.StatusForbidden {
		t.Fatalf("without the path token: %d", st)
	}
	if st, _ := push("/sms/ali/inbound/wrong", up); st != http.StatusForbidden {
		t.Fatalf("with a wrong token: %d", st)
	}
	for range 2 { // the push and Alibaba's retry of it
		if st, body := push("/sms/ali/inbound/tok-0123456789abcdef", up); st != 200 || body != `{"code":0,"msg":"接收成功"}` {
			t.Fatalf("push: %d %q", st, body)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for (len(api.to("13800138000")) == 0 || len(api.to("13900139000")) == 0) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if a, b := api.to("13800138000"), api.to("13900139000"); len(a) != 1 || len(b) != 1 ||
		!strings.Contains(a[0], "营业") || !strings.Contains(b[0], "工单") {
		t.Fatalf("replies: %q and %q, want one answer each", a, b)
	}

	report := `[{"phone_number":"13800138000","send_time":"2026-12-04 10:00:00","report_time":"2026-12-04 10:00:05",` +
		`"success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","sms_size":"1","biz_id":"138001380001","out_id":""}]`
	if st, body := push("/sms/ali/status/tok-0123456789abcdef", report); st != 200 || body != `{"code":0,"msg":"接收成功"}` {
		t.Fatalf("report: %d %q", st, body)
	}
	if st, _ := push("/sms/ali/inbound/tok-0123456789abcdef", `{"not":"an array"}`); st != http.StatusBadRequest {
		t.Fatalf("a push that is not an array: %d", st)
	}
}
