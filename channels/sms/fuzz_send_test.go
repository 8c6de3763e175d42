package sms

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline/channels"
)

// The secrets of the providers the send answers are fuzzed against.
const (
	fuzzTwilioToken   = "fuzz-twilio-auth-token-0123"
	fuzzAliyunSecret  = "fuzz-aliyun-access-secret-0123"
	fuzzTencentSecret = "fuzz-tencent-secret-key-0123"
)

// fuzzAnswer is the answer the fuzzed provider API gives next.
type fuzzAnswer struct {
	mu     sync.Mutex
	status int
	body   string
}

func (a *fuzzAnswer) set(status int, body string) {
	a.mu.Lock()
	a.status, a.body = status, body
	a.mu.Unlock()
}

func (a *fuzzAnswer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	a.mu.Lock()
	status, body := a.status, a.body
	a.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// FuzzSendAnswers has each provider's send API answer with any status and
// body and checks the outcome: an id only for a 2xx answer, otherwise a
// send error the outbox can classify (never an id with an error), within
// the call's timeout, naming neither the provider's secret, the number
// nor the text.
func FuzzSendAnswers(f *testing.F) {
	seeds := []struct {
		provider uint8
		status   uint16
		body     string
	}{
		{0, 201, `{"sid":"SM1234567890abcdef1234567890abcdef","status":"queued"}`},
		{0, 400, `{"code":21211,"message":"The 'To' number +8613800138000 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}`},
		{0, 429, `{"code":20429,"message":"Too Many Requests","status":429}`},
		{0, 400, `{"code":21610,"message":"Attempt to send to unsubscribed recipient","status":400}`},
		{0, 201, `{"sid":""}`},
		{0, 500, `<html>oops</html>`},
		{1, 200, `{"Code":"OK","Message":"OK","BizId":"9006197469364984400","RequestId":"F655A8D5-B967-440B-8683-DAD6FF8DE990"}`},
		{1, 200, `{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控Permits:1"}`},
		{1, 200, `{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"非法手机号 13800138000"}`},
		{1, 400, `{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3D...` + fuzzAliyunSecret + `"}`},
		{1, 200, `{"Code":"OK"}`},
		{1, 503, `{"Code":"ServiceUnavailable"}`},
		{2, 200, `{"Response":{"SendStatusSet":[{"SerialNo":"5000:1045710669157053657849499619","PhoneNumber":"+8613800138000","Fee":1,"SessionContext":"","Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"a0aabda6"}}`},
		{2, 200, `{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"The provided credentials could not be validated."},"RequestId":"a0aabda6"}}`},
		{2, 200, `{"Response":{"SendStatusSet":[{"Code":"LimitExceeded.PhoneNumberThirtySecondLimit","Message":"单个手机号30秒内下发短信条数超过设定的上限"}]}}`},
		{2, 200, `{"Response":{"SendStatusSet":[]}}`},
		{2, 200, `{"Response":{"SendStatusSet":[{"Code":"Ok","SerialNo":""}]}}`},
		{2, 200, `{"Response":null}`},
	}
	for _, s := range seeds {
		f.Add(s.provider, s.status, s.body)
	}

	api := &fuzzAnswer{}
	srv := httptest.NewServer(api)
	f.Cleanup(srv.Close)
	providers := fuzzProviders(f, srv.URL)

	f.Fuzz(func(t *testing.T, provider uint8, status uint16, body string) {
		code := 200 + int(status)%400
		api.set(code, body)
		p := providers[int(provider)%len(providers)]
		const to, text = "+8613800138000", "您的工单已受理"

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		id, err := p.Send(ctx, to, text)
		if ctx.Err() != nil {
			t.Fatal("a send took over 10s")
		}

		switch {
		case err == nil && id == "":
			t.Fatalf("%s: sent without an id on %d %q", p.Kind(), code, body)
		case err == nil && (code < 200 || code >= 300):
			t.Fatalf("%s: sent on HTTP %d %q", p.Kind(), code, body)
		case err != nil && id != "":
			t.Fatalf("%s: both an id %q and an error %v", p.Kind(), id, err)
		case err == nil:
			return
		}
		var se *channels.SendError
		if !errors.As(err, &se) {
			t.Fatalf("%s: error %v is not a send error the outbox can classify", p.Kind(), err)
		}
		msg := err.Error()
		for _, secret := range []string{fuzzTwilioToken, fuzzAliyunSecret, fuzzTencentSecret, "13800138000", text} {
			if strings.Contains(msg, secret) {
				t.Fatalf("%s: the error names %q: %s", p.Kind(), secret, msg)
			}
		}
		if len(msg) > 200 {
			t.Fatalf("%s: an error of %d bytes repeats the answer: %s", p.Kind(), len(msg), msg)
		}
	})
}

// fuzzProviders are Twilio, Alibaba Cloud and Tencent Cloud, each calling
// the API at url.
func fuzzProviders(f *testing.F, url string) []Provider {
	tw, err := NewTwilio(TwilioConfig{AccountSID: "ACfuzz", AuthToken: fuzzTwilioToken, From: "+15005550006", PublicURL: "https://hotline.example.com",
		APIURL: url, Timeout: 2 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	al, err := NewAliyun(AliyunConfig{AccessKeyID: "fuzz-id", AccessKeySecret: fuzzAliyunSecret, SignName: "热线",
		TemplateCode: "SMS_1", APIURL: url, Timeout: 2 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	tc, err := NewTencent(TencentConfig{SecretID: "fuzz-id", SecretKey: fuzzTencentSecret, SdkAppID: "1400000000",
		TemplateID: "1", SignName: "热线", APIURL: url, Timeout: 2 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	return []Provider{tw, al, tc}
}
