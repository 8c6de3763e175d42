package main

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// WeChat callback modes.
const (
	wxPlain  = "plain"
	wxCompat = "compat"
	wxSafe   = "safe"
)

// wxAccount is what loadgen knows of the Official Account.
type wxAccount struct {
	token  string
	appID  string
	mode   string
	cipher *wxCipher // compat and safe
	path   string    // the callback path, /wechat
	client *http.Client
}

// wxMsgIDs numbers every callback's MsgId, unique in the run.
var wxMsgIDs atomic.Int64

func init() { wxMsgIDs.Store(time.Now().UnixNano() / 1000) }

// wxLink is a follower writing to the account; replies come in the
// callback's answer (passive) and through the fake customer-service API.
type wxLink struct {
	acct   *wxAccount
	base   *url.URL
	openID string
	order  atomic.Int64
	evs    chan event
	errs   *errorCounts
	mu     sync.Mutex
	closed bool
}

func newWXLink(acct *wxAccount, base *url.URL, openID string, errs *errorCounts) *wxLink {
	return &wxLink{acct: acct, base: base, openID: openID, evs: make(chan event, 256), errs: errs}
}

func (l *wxLink) events() <-chan event { return l.evs }

func (l *wxLink) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		l.closed = true
		close(l.evs)
	}
}

// deliver hands the follower a reply; after close it is counted lost.
func (l *wxLink) deliver(id, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		l.errs.add(chanWeChat, "reply after the run")
		return
	}
	l.evs <- event{reply: reply{ID: id, Seq: l.order.Add(1), From: senderOf(text), Text: text, At: time.Now()}}
}

// send posts one text callback and files its passive reply.
func (l *wxLink) send(ctx context.Context, m outMsg) (string, int64, error) {
	id := wxMsgIDs.Add(1)
	seq := l.order.Add(1)
	body := fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_loadgen]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>`+
		`<CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content>`+
		`<MsgId>%d</MsgId></xml>`, l.openID, time.Now().Unix(), m.Text, id)
	text, err := l.acct.post(ctx, l.base, body, id)
	key := fmt.Sprint(id)
	if err != nil {
		return key, seq, err
	}
	if text != "" {
		l.deliver("passive-"+key, text)
	}
	return key, seq, nil
}

// post signs (and in compat and safe mode encrypts) a callback body,
// posts it and returns the passive reply's text, "" for none.
func (a *wxAccount) post(ctx context.Context, base *url.URL, body string, nonceN int64) (string, error) {
	ts, nonce := fmt.Sprint(time.Now().Unix()), fmt.Sprint(nonceN)
	q := url.Values{"timestamp": {ts}, "nonce": {nonce}, "signature": {wxSign(a.token, ts, nonce)}}
	if a.mode != wxPlain {
		enc, err := a.cipher.encrypt([]byte(body))
		if err != nil {
			return "", err
		}
		q.Set("encrypt_type", "aes")
		q.Set("msg_signature", wxSign(a.token, ts, nonce, enc))
		wrapped := `<xml><ToUserName><![CDATA[gh_loadgen]]></ToUserName><Encrypt><![CDATA[` + enc + `]]></Encrypt></xml>`
		if a.mode == wxCompat {
			wrapped = strings.Replace(body, "</xml>", "<Encrypt><![CDATA["+enc+"]]></Encrypt></xml>", 1)
		}
		body = wrapped
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base.String()+a.path+"?"+q.Encode(), strings.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := a.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", httpStatusError{resp.StatusCode}
	}
	return a.passive(out)
}

// wxReply is a passive reply, plain or encrypted.
type wxReply struct {
	MsgType      string `xml:"MsgType"`
	Content      string `xml:"Content"`
	Encrypt      string `xml:"Encrypt"`
	MsgSignature string `xml:"MsgSignature"`
	TimeStamp    string `xml:"TimeStamp"`
	Nonce        string `xml:"Nonce"`
}

// passive reads the callback's answer: "success" or empty for none, a
// text reply, or in compat and safe mode one encrypted and signed.
func (a *wxAccount) passive(body []byte) (string, error) {
	s := strings.TrimSpace(string(body))
	if s == "" || s == "success" {
		return "", nil
	}
	var r wxReply
	if err := xml.Unmarshal(body, &r); err != nil {
		return "", fmt.Errorf("passive reply: not XML")
	}
	if r.Encrypt != "" {
		if a.cipher == nil {
			return "", fmt.Errorf("passive reply: encrypted in plain mode")
		}
		if wxSign(a.token, r.TimeStamp, r.Nonce, r.Encrypt) != r.MsgSignature {
			return "", fmt.Errorf("passive reply: bad msg_signature")
		}
		plain, err := a.cipher.decrypt(r.Encrypt)
		if err != nil {
			return "", fmt.Errorf("passive reply: %v", err)
		}
		if err := xml.Unmarshal(plain, &r); err != nil {
			return "", fmt.Errorf("passive reply: decrypted reply not XML")
		}
	} else if a.mode != wxPlain {
		return "", fmt.Errorf("passive reply: not encrypted in %s mode", a.mode)
	}
	if r.MsgType != "text" {
		return "", fmt.Errorf("passive reply: msgtype %q", r.MsgType)
	}
	return r.Content, nil
}
