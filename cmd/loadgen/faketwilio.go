package main

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// fakeTwilio stands in for Twilio's REST API on a loopback port (the SMS
// channel's twilio.api_url points at it). It takes
//
//	POST /2010-04-01/Accounts/{AccountSid}/Messages.json
//	     basic auth AccountSid:AuthToken, form To, From (or
//	     MessagingServiceSid), Body
//	     → 201 {"sid": "SM…", "status": "queued", …}
//
// and hands each text to the number it is for.
type fakeTwilio struct {
	srv   *http.Server
	addr  string
	acct  *twilioAccount
	sent  atomic.Int64
	mu    sync.Mutex
	links map[string]*smsLink // by digits of the number
	errs  *errorCounts
}

// startFakeTwilio serves the fake API on a free loopback port.
func startFakeTwilio(addr string, acct *twilioAccount, errs *errorCounts) (*fakeTwilio, error) {
	ln, err := loopbackListen(addr)
	if err != nil {
		return nil, err
	}
	f := &fakeTwilio{addr: ln.Addr().String(), acct: acct, links: map[string]*smsLink{}, errs: errs}
	f.srv = &http.Server{Handler: f}
	go func() { _ = f.srv.Serve(ln) }()
	return f, nil
}

// url is the base URL for twilio.api_url.
func (f *fakeTwilio) url() string { return "http://" + f.addr }

func (f *fakeTwilio) stop() { _ = f.srv.Close() }

// register routes a number's texts to its link.
func (f *fakeTwilio) register(l *smsLink) {
	f.mu.Lock()
	f.links[digits(l.number)] = l
	f.mu.Unlock()
}

func (f *fakeTwilio) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	want := "/2010-04-01/Accounts/" + f.acct.sid + "/Messages.json"
	if r.Method != http.MethodPost || r.URL.Path != want {
		f.errs.add(chanSMS, "fake api: unknown request "+r.Method+" "+r.URL.Path)
		http.NotFound(w, r)
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok || user != f.acct.sid || subtle.ConstantTimeCompare([]byte(pass), []byte(f.acct.token)) != 1 {
		f.errs.add(chanSMS, "fake api: bad credentials")
		w.WriteHeader(http.StatusUnauthorized)
		writeJSON(w, map[string]any{"code": 20003, "message": "Authenticate", "status": 401})
		return
	}
	to, body := r.PostFormValue("To"), r.PostFormValue("Body")
	n := f.sent.Add(1)
	sid := fmt.Sprintf("SMloadgen%023d", n)
	f.mu.Lock()
	l := f.links[digits(to)]
	f.mu.Unlock()
	if l == nil {
		f.errs.add(chanSMS, "fake api: text for an unknown number")
	} else {
		l.deliver(sid, body)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	writeJSON(w, map[string]any{"sid": sid, "status": "queued", "to": to, "from": r.PostFormValue("From"), "body": body})
}

// digits keeps a number's digits, so +86 138… and 86138… route alike.
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
