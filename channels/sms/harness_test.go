package sms

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline/channels"
)

// fakeReceiver records what reaches the dialog and de-duplicates by
// provider id, as the engine does; fail makes it return a storage error.
type fakeReceiver struct {
	mu   sync.Mutex
	got  []channels.Inbound
	seen map[string]bool
	fail error
}

func (f *fakeReceiver) Receive(_ context.Context, in channels.Inbound) (channels.Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return channels.Receipt{}, f.fail
	}
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	if in.ProviderID != "" && f.seen[in.ProviderID] {
		return channels.Receipt{Duplicate: true}, nil
	}
	f.seen[in.ProviderID] = true
	f.got = append(f.got, in)
	return channels.Receipt{MessageID: "m" + in.ProviderID}, nil
}

func (f *fakeReceiver) inbound() []channels.Inbound {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]channels.Inbound(nil), f.got...)
}

// memStore is the channel's Store in memory, for the channel's own
// tests; the SQL store has its tests in store/sqldb.
type memStore struct {
	mu       sync.Mutex
	keywords map[string]bool
	optedOut map[string]bool
	sends    map[string]Status // by provider id
	messages map[string]string // provider id to message id
	fail     error
}

func newMemStore() *memStore {
	return &memStore{keywords: map[string]bool{}, optedOut: map[string]bool{},
		sends: map[string]Status{}, messages: map[string]string{}}
}

func (s *memStore) Keyword(_ context.Context, channel, key, phone string, kw Keyword, _ time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return false, s.fail
	}
	if s.keywords[channel+"|"+key] {
		return false, nil
	}
	s.keywords[channel+"|"+key] = true
	switch kw {
	case OptOut:
		s.optedOut[phone] = true
	case OptIn:
		s.optedOut[phone] = false
	}
	return true, nil
}

func (s *memStore) OptedOut(_ context.Context, phone string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.optedOut[phone], s.fail
}

func (s *memStore) RecordSends(_ context.Context, _ string, sent []Sent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range sent {
		s.messages[x.ProviderID] = x.MessageID
		if s.sends[x.ProviderID] == "" {
			s.sends[x.ProviderID] = StatusSent
		}
	}
	return nil
}

func (s *memStore) Advance(_ context.Context, _ string, r Report, _ time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return false, s.fail
	}
	if r.Status.Rank() <= s.sends[r.ID].Rank() {
		return false, nil
	}
	s.sends[r.ID] = r.Status
	return true, nil
}

func (s *memStore) status(id string) Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sends[id]
}

// logBuffer collects the channel's log lines, to check they hold no
// numbers or text.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// rig is a channel under test behind the real router, on a real server.
type rig struct {
	t      *testing.T
	ch     *Channel
	srv    *httptest.Server
	recv   *fakeReceiver
	store  *memStore
	logs   *logBuffer
	public string // the public URL Twilio signs over
}

// twilioToken is the auth token of the test account.
const twilioToken = "test-auth-token-0123456789"

// newRig serves one channel named "tw" with the given provider (nil: a
// Twilio provider sending to api) and config changes.
func newRig(t *testing.T, p func(public string) Provider, tweak func(*Config)) *rig {
	t.Helper()
	r := &rig{t: t, recv: &fakeReceiver{}, store: newMemStore(), logs: &logBuffer{}}
	mux := http.NewServeMux()
	r.srv = httptest.NewServer(mux)
	t.Cleanup(r.srv.Close)
	r.public = r.srv.URL
	cfg := Config{Name: "tw", Provider: p(r.public), Receiver: r.recv, Store: r.store,
		Log: slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if tweak != nil {
		tweak(&cfg)
	}
	ch, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.ch = ch
	mux.Handle(PathPrefix, NewRouter(ch))
	return r
}

// twilioProvider is a Twilio provider for the rig, sending to api.
func twilioProvider(t *testing.T, api string) func(string) Provider {
	return func(public string) Provider {
		p, err := NewTwilio(TwilioConfig{AccountSID: "ACtest", AuthToken: twilioToken, From: "+15005550006",
			PublicURL: public, APIURL: api, Timeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// post sends a callback and returns the status and body.
func (r *rig) post(path string, header http.Header, body string) (int, string) {
	r.t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.srv.URL+path, strings.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// twilioForm is a Twilio callback's form and its signed headers.
func (r *rig) twilioForm(path string, form url.Values) (http.Header, string) {
	h := http.Header{}
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set("X-Twilio-Signature", TwilioSignature(twilioToken, r.public+path, form))
	return h, form.Encode()
}

// inboundForm is an incoming-message webhook as Twilio sends it.
func inboundForm(sid, from, body string) url.Values {
	return url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "SmsMessageSid": {sid}, "AccountSid": {"ACtest"},
		"From": {from}, "To": {"+15005550006"}, "Body": {body}, "NumMedia": {"0"}, "NumSegments": {"1"},
		"SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"}, "FromCountry": {"CN"}}
}

// eventually waits for cond, failing the test after two seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

var errDisk = errors.New("disk I/O error")
