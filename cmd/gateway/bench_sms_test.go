package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"hotline/channels/sms"
)

// smsBenchClients is how many senders post at once.
const smsBenchClients = 32

// smsBenchSenders is how many numbers the messages come from, in turn.
const smsBenchSenders = 1000

// BenchmarkSMSInbound compares the gateway's signed Twilio inbound
// webhook (verified, persisted and handed to the dialog before the
// acknowledgement) with a bare handler that only verifies the signature
// and answers, through real servers on sockets, in the same run.
func BenchmarkSMSInbound(b *testing.B) {
	b.Run("bare", func(b *testing.B) {
		srv := httptest.NewServer(bareTwilio())
		defer srv.Close()
		runWebhooks(b, strings.TrimPrefix(srv.URL, "http://"))
	})
	b.Run("gateway", func(b *testing.B) {
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, `{"sid":"SMbench"}`)
		}))
		defer api.Close()
		path, env := configWithB(b, fmt.Sprintf(`sms:
  - name: twilio
    provider: twilio
    rate: 1000000
    burst: 1000
    twilio:
      account_sid: %s
      auth_token: %s
      from: %q
      public_url: %s
      api_url: %s
`, smsAccount, smsToken, smsFrom, smsPublicURL, api.URL))
		env["HOTLINE_LOG_LEVEL"] = "error"
		env["HOTLINE_DIALOG_ANSWERS_PER_MINUTE"] = "0"
		g := startGatewayWith(b, Options{
			Args:   []string{"-config", path, "-addr", "127.0.0.1:0", "-data", b.TempDir()},
			Getenv: func(k string) string { return env[k] },
		})
		defer g.stop()
		runWebhooks(b, g.addr)
	})
}

// bareTwilio verifies Twilio's signature and answers empty TwiML.
func bareTwilio() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(body))
		if err != nil || r.Header.Get("X-Twilio-Signature") != sms.TwilioSignature(smsToken, smsPublicURL+r.URL.RequestURI(), form) {
			http.Error(w, "bad signature", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Response/>`)
	})
}

// runWebhooks posts b.N signed inbound webhooks, each a new message from
// one of smsBenchSenders numbers in turn, from smsBenchClients senders at
// once, and reports webhooks per second and the p99 latency.
func runWebhooks(b *testing.B, addr string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: smsBenchClients}}
	closedLoop(b, smsBenchClients, "webhooks/s", func(_ int, n int64) error { return webhook(client, addr, n) })
}

// webhook posts the n-th message, signed as Twilio signs it.
func webhook(client *http.Client, addr string, n int64) error {
	sid := fmt.Sprintf("SMbench%027d", n)
	form := url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "AccountSid": {smsAccount},
		"From": {fmt.Sprintf("+861380000%04d", n%smsBenchSenders)}, "To": {smsFrom},
		"Body": {benchQuestions[n%int64(len(benchQuestions))]}, "NumMedia": {"0"}, "ApiVersion": {"2010-04-01"}}
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/sms/twilio/inbound", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", sms.TwilioSignature(smsToken, smsPublicURL+"/sms/twilio/inbound", form))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(out), "<Response/>") {
		return fmt.Errorf("webhook: HTTP %d %q", resp.StatusCode, out)
	}
	return nil
}
