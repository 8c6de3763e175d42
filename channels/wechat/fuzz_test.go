package wechat

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"

	"hotline/channels"
)

// Callback modes of FuzzCallback, by the mode argument modulo 4.
const (
	modePlain      = iota // the body as it is, plaintext mode
	modeSafe              // the body encrypted into an envelope, safe mode
	modeCompatible        // the body with its ciphertext added, compatible mode
	modeEnvelope          // the body as a safe-mode envelope, signed over its Encrypt
)

// FuzzCallback posts one signed callback to the real handler in each of
// WeChat's modes. The query is signed and fresh, and in safe and
// compatible mode the message is encrypted and signed with the account's
// key, so the fuzzed XML gets past the checks to the SDK's parser. The
// follower's text comes back as the reply, which goes out in the passive
// reply. Checks: the answer is 200 or a 4xx with a reason, never a 5xx;
// it comes within the reply budget; every input that reached the engine
// has a sender and UTF-8 text; and an encrypted reply is signed and
// decrypts to XML addressed to that sender.
func FuzzCallback(f *testing.F) {
	for mode := range uint8(4) {
		f.Add(mode, textXML(testOpen, "在吗", 21))
		f.Add(mode, eventXML(testOpen, "CLICK", "MENU_FAULT"))
		f.Add(mode, eventXML(testOpen, "subscribe", ""))
	}
	f.Add(uint8(modeEnvelope), `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[`+
		wecomSampleEncrypt(f)+`]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`)
	for _, s := range hostileXML {
		f.Add(uint8(modePlain), s)
		f.Add(uint8(modeSafe), s)
	}

	f.Fuzz(func(t *testing.T, mode uint8, body string) {
		r := newRig(t, func(in channels.Inbound) []string {
			if in.Text == "" {
				return nil
			}
			return []string{in.Text}
		}, func(c *Config) { c.ReplyBudget = 200 * time.Millisecond })
		q := signed(r)
		switch mode % 4 {
		case modeSafe:
			body = sealed(t, q, body, "")
		case modeCompatible:
			body = sealed(t, q, body, body)
		case modeEnvelope:
			var env message.EncryptedXMLMsg
			_ = xml.Unmarshal([]byte(body), &env)
			q.Set("encrypt_type", "aes")
			q.Set("msg_signature", util.Signature(testToken, q.Get("timestamp"), q.Get("nonce"), env.EncryptedMsg))
		}

		stop := time.AfterFunc(5*time.Second, func() { panic("a WeChat callback took over 5s") })
		defer stop.Stop()
		start := time.Now()
		w := r.post(q, body)
		if took := time.Since(start); took > r.cfg.ReplyBudget+time.Second {
			t.Fatalf("the callback took %v, past the reply budget", took)
		}
		got := w.Body.String()
		switch {
		case w.Code == http.StatusOK:
		case w.Code >= 400 && w.Code < 500:
			if !strings.HasPrefix(got, "callback refused: ") {
				t.Fatalf("%d answered without a reason: %q", w.Code, got)
			}
		default:
			t.Fatalf("answered %d %q", w.Code, got)
		}

		ins := r.recv.inbound()
		for _, in := range ins {
			switch {
			case in.Channel != "wechat" || in.ProviderID == "":
				t.Fatalf("inbound without channel or id: %+v", in)
			case in.Address == "" || !utf8.ValidString(in.Address):
				t.Fatalf("inbound from %q: no sender", in.Address)
			case !utf8.ValidString(in.Text) || strings.ContainsRune(in.Text, 0):
				t.Fatalf("inbound text %q is not UTF-8 without NULs", in.Text)
			}
		}
		if w.Code == http.StatusOK && mode%4 != modePlain && got != "success" && len(ins) == 1 {
			checkSealedReply(t, got, ins[0].Address)
		}
	})
}

// wecomSampleEncrypt is the ciphertext of the published WeCom sample in
// testdata, another account's: a well-formed envelope that fails to
// decrypt for the test account.
func wecomSampleEncrypt(f *testing.F) string {
	data, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		f.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(data, &v); err != nil {
		f.Fatal(err)
	}
	return v.WeCom.Encrypt
}

// sealed is the safe-mode body of plain, with the query given the
// message signature; with compat, the ciphertext is added to compat's
// own XML, as in compatible mode.
func sealed(t *testing.T, q map[string][]string, plain, compat string) string {
	enc, err := util.EncryptMsg([]byte("0123456789abcdef"), []byte(plain), testAppID, testKey)
	if err != nil {
		t.Fatal(err)
	}
	ts, nonce := q["timestamp"][0], q["nonce"][0]
	q["encrypt_type"] = []string{"aes"}
	q["msg_signature"] = []string{util.Signature(testToken, ts, nonce, string(enc))}
	field := "<Encrypt><![CDATA[" + string(enc) + "]]></Encrypt>"
	if compat != "" && strings.Contains(compat, "</xml>") {
		return strings.Replace(compat, "</xml>", field+"</xml>", 1)
	}
	return "<xml><ToUserName><![CDATA[gh_test]]></ToUserName>" + field + "</xml>"
}

// checkSealedReply checks an encrypted passive reply: its signature, and
// that it decrypts to XML addressed to the follower.
func checkSealedReply(t *testing.T, got, to string) {
	var resp message.ResponseEncryptedXMLMsg
	if err := xml.Unmarshal([]byte(got), &resp); err != nil || resp.EncryptedMsg == "" {
		t.Fatalf("the reply %q is not an encrypted reply: %v", got, err)
	}
	ts := strconv.FormatInt(resp.Timestamp, 10)
	if util.Signature(testToken, ts, resp.Nonce, resp.EncryptedMsg) != resp.MsgSignature {
		t.Fatal("the reply's signature does not verify")
	}
	_, plain, err := util.DecryptMsg(testAppID, resp.EncryptedMsg, testKey)
	if err != nil {
		t.Fatalf("the reply does not decrypt: %v", err)
	}
	var reply struct {
		ToUserName string `xml:"ToUserName"`
		Content    string `xml:"Content"`
	}
	if err := xml.Unmarshal(plain, &reply); err != nil || reply.ToUserName != to {
		t.Fatalf("the decrypted reply %q is not to %q: %v", plain, to, err)
	}
}

// hostileXML are messages that have troubled XML readers: entities,
// DTDs, deep nesting, huge numbers, NULs and invalid UTF-8.
var hostileXML = []string{
	"",
	"<xml/>",
	`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>` +
		`<xml><FromUserName>a</FromUserName><MsgType>text</MsgType><Content>&lol2;</Content><MsgId>1</MsgId></xml>`,
	`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>`,
	"<xml>" + strings.Repeat("<a>", 5000) + strings.Repeat("</a>", 5000) + "</xml>",
	"<xml><FromUserName>a</FromUserName><MsgType>text</MsgType><Content>x</Content><MsgId>99999999999999999999999</MsgId></xml>",
	"<xml><FromUserName>a</FromUserName><MsgType>text</MsgType><Content>x</Content><MsgId>-1</MsgId><CreateTime>-9223372036854775808</CreateTime></xml>",
	"<xml><FromUserName></FromUserName><MsgType>text</MsgType><Content>x</Content><MsgId>5</MsgId></xml>",
	"<xml><FromUserName>a</FromUserName><MsgType>text</MsgType><Content>\xff\xfe</Content><MsgId>6</MsgId></xml>",
	"<xml><FromUserName>a</FromUserName><MsgType>text</MsgType><Content>&#0;</Content><MsgId>7</MsgId></xml>",
	"<xml><FromUserName>a\x00</FromUserName><MsgType>text</MsgType><Content>x</Content><MsgId>8</MsgId></xml>",
	"<xml><FromUserName>a</FromUserName><MsgType>location</MsgType><Location_X>1e400</Location_X><Location_Y>NaN</Location_Y><MsgId>9</MsgId></xml>",
	"<xml><FromUserName>a</FromUserName><MsgType>event</MsgType><Event>CLICK</Event><EventKey>" + strings.Repeat("K", 70000) + "</EventKey></xml>",
	"<xml><xml><xml></xml></xml></xml>",
	`<xml><FromUserName><![CDATA[a]]]]><![CDATA[>]]></FromUserName><MsgType>text</MsgType><Content>]]&gt;</Content><MsgId>10</MsgId></xml>`,
}

// A message without the sender's openid cannot be answered: it is
// acknowledged and goes no further, in every mode, instead of reaching
// the engine as a conversation with nobody.
func TestCallback_WithoutSenderIsIgnored(t *testing.T) {
	r := newRig(t, nil, nil)
	for _, from := range []string{"", "  "} {
		body := textXML(from, "在吗", 31)
		if w := r.post(signed(r), body); w.Code != http.StatusOK || w.Body.String() != "success" {
			t.Fatalf("from %q: HTTP %d %q", from, w.Code, w.Body)
		}
		q := signed(r)
		if w := r.post(q, sealed(t, q, body, "")); w.Code != http.StatusOK {
			t.Fatalf("from %q in safe mode: HTTP %d %q", from, w.Code, w.Body)
		}
	}
	if in := r.recv.inbound(); len(in) != 0 {
		t.Fatalf("inbound = %+v", in)
	}
}
