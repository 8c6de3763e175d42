package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
)

// fakeWeChat stands in for WeChat's API (api.weixin.qq.com) on a
// loopback port: the gateway's wechat.api_url points at it. It speaks
//
//	GET  /cgi-bin/token?grant_type=client_credential&appid=A&secret=S
//	POST /cgi-bin/stable_token   {"grant_type": "client_credential", "appid": A, "secret": S}
//	     → {"access_token": "...", "expires_in": 7200}
//	POST /cgi-bin/message/custom/send?access_token=T
//	     {"touser": OPENID, "msgtype": "text", "text": {"content": "..."}}
//	     → {"errcode": 0, "errmsg": "ok"}, or 40001 for a token it did not issue
//	POST /cgi-bin/message/custom/typing?access_token=T → {"errcode": 0}
//
// and hands each customer-service text to the follower it is for.
type fakeWeChat struct {
	srv    *http.Server
	addr   string
	tokens sync.Map // issued access tokens
	issued atomic.Int64
	sends  atomic.Int64
	mu     sync.Mutex
	links  map[string]*wxLink
	errs   *errorCounts
}

// startFakeWeChat serves the fake API on a free loopback port.
func startFakeWeChat(addr string, errs *errorCounts) (*fakeWeChat, error) {
	ln, err := loopbackListen(addr)
	if err != nil {
		return nil, err
	}
	f := &fakeWeChat{addr: ln.Addr().String(), links: map[string]*wxLink{}, errs: errs}
	f.srv = &http.Server{Handler: f}
	go func() { _ = f.srv.Serve(ln) }()
	return f, nil
}

// url is the base URL for wechat.api_url.
func (f *fakeWeChat) url() string { return "http://" + f.addr }

func (f *fakeWeChat) stop() { _ = f.srv.Close() }

// register routes a follower's texts to its link.
func (f *fakeWeChat) register(l *wxLink) {
	f.mu.Lock()
	f.links[l.openID] = l
	f.mu.Unlock()
}

func (f *fakeWeChat) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/cgi-bin/token", "/cgi-bin/stable_token":
		tok := fmt.Sprintf("loadgen-token-%d", f.issued.Add(1))
		f.tokens.Store(tok, true)
		writeJSON(w, map[string]any{"access_token": tok, "expires_in": 7200})
	case "/cgi-bin/message/custom/send":
		f.custom(w, r)
	case "/cgi-bin/message/custom/typing":
		writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok"})
	default:
		f.errs.add(chanWeChat, "fake api: unknown path "+r.URL.Path)
		http.NotFound(w, r)
	}
}

// custom takes one customer-service text.
func (f *fakeWeChat) custom(w http.ResponseWriter, r *http.Request) {
	if _, ok := f.tokens.Load(r.URL.Query().Get("access_token")); !ok {
		writeJSON(w, map[string]any{"errcode": 40001, "errmsg": "invalid credential"})
		return
	}
	var m struct {
		ToUser  string `json:"touser"`
		MsgType string `json:"msgtype"`
		Text    struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &m); err != nil || m.MsgType != "text" {
		writeJSON(w, map[string]any{"errcode": 40008, "errmsg": "invalid message type"})
		return
	}
	n := f.sends.Add(1)
	f.mu.Lock()
	l := f.links[m.ToUser]
	f.mu.Unlock()
	if l == nil {
		f.errs.add(chanWeChat, "fake api: text for an unknown follower")
	} else {
		l.deliver(fmt.Sprintf("api-%d", n), m.Text.Content)
	}
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok"})
}

// writeJSON answers 200 with v.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}
