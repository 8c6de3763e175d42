package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"hotline/channels"
)

// FuzzAPIAnswers has WeChat's API answer a customer-service send with
// any status and body, on the token endpoint and the send endpoint, and
// checks the outcome: sent only when WeChat said errcode 0, otherwise a
// send error the outbox can classify, within the send timeout, naming
// neither the account's secret, an access token nor the follower.
func FuzzAPIAnswers(f *testing.F) {
	const token = `{"access_token":"ACCESS-TOKEN-OF-THE-FUZZ","expires_in":7200}`
	f.Add(uint16(200), token, uint16(200), `{"errcode":0,"errmsg":"ok"}`)
	f.Add(uint16(200), token, uint16(200), `{"errcode":-1,"errmsg":"system error"}`)
	f.Add(uint16(200), token, uint16(200), `{"errcode":45015,"errmsg":"response out of time limit or subscription is canceled hint: [ACCESS-TOKEN-OF-THE-FUZZ]"}`)
	f.Add(uint16(200), token, uint16(200), `{"errcode":45047,"errmsg":"out of response count limit"}`)
	f.Add(uint16(200), token, uint16(200), `{"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest"}`)
	f.Add(uint16(200), token, uint16(200), `{"errcode":"0"}`)
	f.Add(uint16(200), token, uint16(200), `{"errcode":0.5}`)
	f.Add(uint16(200), token, uint16(502), `<html>Bad Gateway</html>`)
	f.Add(uint16(200), token, uint16(200), ``)
	f.Add(uint16(200), `{"errcode":40013,"errmsg":"invalid appid"}`, uint16(200), `{"errcode":0}`)
	f.Add(uint16(200), `{"access_token":"","expires_in":-1}`, uint16(200), `{"errcode":0}`)
	f.Add(uint16(500), `not json`, uint16(200), `{"errcode":0}`)
	f.Add(uint16(200), `{"access_token":"secret-of-the-test-account","expires_in":1e999}`, uint16(200), `{"errcode":1}`)

	f.Fuzz(func(t *testing.T, tokenStatus uint16, tokenBody string, sendStatus uint16, sendBody string) {
		r := newRig(t, nil, func(c *Config) { c.SendTimeout = 2 * time.Second })
		fakeAPI.mu.Lock()
		fakeAPI.raw = map[string]rawAnswer{
			"/cgi-bin/token":               {httpStatus(tokenStatus), tokenBody},
			"/cgi-bin/stable_token":        {httpStatus(tokenStatus), tokenBody},
			"/cgi-bin/message/custom/send": {httpStatus(sendStatus), sendBody},
		}
		fakeAPI.mu.Unlock()

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		stop := time.AfterFunc(20*time.Second, func() { panic("a send to WeChat's API did not return in 20s") })
		defer stop.Stop()
		out := channels.Outbound{ID: "fz-1", Address: testOpen, Text: "您的工单已受理", ReplyTo: "none"}
		err := r.ch.Send(ctx, out)
		if ctx.Err() != nil {
			t.Fatal("a send took over 10s")
		}

		var answer struct {
			ErrCode *int `json:"errcode"`
		}
		tookIt := httpStatus(sendStatus) == 200 && json.Unmarshal([]byte(sendBody), &answer) == nil &&
			(answer.ErrCode == nil || *answer.ErrCode == 0)
		if err == nil && !tookIt {
			t.Fatalf("sent, though the API answered %d %q", httpStatus(sendStatus), sendBody)
		}
		if err == nil {
			return
		}
		var se *channels.SendError
		if !errors.As(err, &se) {
			t.Fatalf("error %v is not a send error the outbox can classify", err)
		}
		msg := err.Error() + r.logs.String()
		for _, secret := range append(tokensIn(tokenBody), r.cfg.Secret, testOpen, out.Text) {
			if secret != "" && len(secret) >= 6 && strings.Contains(msg, secret) {
				t.Fatalf("the error or the logs name %q: %s", secret, msg)
			}
		}
	})
}

// httpStatus maps a fuzzed number onto a status a server can write.
func httpStatus(n uint16) int {
	return 200 + int(n)%400
}

// tokensIn returns the access token a token answer holds, if any.
func tokensIn(body string) []string {
	var t struct {
		Token string `json:"access_token"`
	}
	_ = json.Unmarshal([]byte(body), &t)
	return []string{t.Token}
}
