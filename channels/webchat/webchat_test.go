package webchat

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"hotline/channels"
	"hotline/dialog"
)

// fakeReceiver records what the channel hands to the dialog.
type fakeReceiver struct {
	mu    sync.Mutex
	got   []channels.Inbound
	seen  map[string]channels.Receipt
	fail  bool
	delay time.Duration
}

func (f *fakeReceiver) Receive(_ context.Context, in channels.Inbound) (channels.Receipt, error) {
	time.Sleep(f.delay)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return channels.Receipt{}, errors.New("store down")
	}
	if r, ok := f.seen[in.ProviderID]; ok {
		r.Duplicate = true
		return r, nil
	}
	f.got = append(f.got, in)
	r := channels.Receipt{ConversationID: "c1", MessageID: "m" + in.ProviderID, Seq: int64(len(f.got))}
	f.seen[in.ProviderID] = r
	return r, nil
}

// noHistory is a transcript with no conversations.
type noHistory struct{}

func (noHistory) FindConversation(context.Context, string, string) (dialog.Conversation, error) {
	return dialog.Conversation{}, dialog.ErrNotFound
}
func (noHistory) MessageSeq(context.Context, string, string) (int64, error) {
	return 0, dialog.ErrNotFound
}
func (noHistory) MessagesAfter(context.Context, string, int64, int) ([]dialog.Message, error) {
	return nil, nil
}

type keyTexts struct{}

func (keyTexts) Text(key, lang string) string { return lang + ":" + key }

func testChannel(recv channels.Receiver, origins ...string) *Channel {
	return New(Config{
		Receiver: recv, History: noHistory{}, Texts: keyTexts{},
		Log:            slog.New(slog.NewTextHandler(io.Discard, nil)),
		AllowedOrigins: origins, ReadLimit: 4096, MaxTextRunes: 20,
		RatePerSecond: 1, RateBurst: 3, PingInterval: time.Second,
		WriteTimeout: time.Second, HistoryLimit: 10,
	})
}

func serve(t *testing.T, c *Channel) string {
	t.Helper()
	mux := http.NewServeMux()
	c.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/chat/ws"
}

type out struct {
	Type      string `json:"type"`
	Code      string `json:"code"`
	Text      string `json:"text"`
	ClientID  string `json:"client_id"`
	Session   string `json:"session"`
	From      string `json:"from"`
	Duplicate bool   `json:"duplicate"`
	On        bool   `json:"on"`
}

// The channel harness: each case sends frames on a fresh, greeted
// connection and lists the frame types (and codes) it must get back.
func TestChannel_Frames(t *testing.T) {
	cases := []struct {
		name   string
		frames []string
		want   []string // "type" or "type:code"
		stored int
		fail   bool
	}{
		{"message is acked", []string{`{"type":"message","client_id":"a1","text":"你好"}`},
			[]string{"ack"}, 1, false},
		{"repeat is acked as duplicate", []string{
			`{"type":"message","client_id":"a1","text":"你好"}`,
			`{"type":"message","client_id":"a1","text":"你好"}`},
			[]string{"ack", "ack"}, 1, false},
		{"quick reply payload alone is accepted", []string{
			`{"type":"message","client_id":"q1","text":"","payload":"kb:x"}`},
			[]string{"ack"}, 1, false},
		{"text over the limit", []string{`{"type":"message","client_id":"l1","text":"` +
			strings.Repeat("长", 21) + `"}`}, []string{"error:too_long"}, 0, false},
		{"empty text", []string{`{"type":"message","client_id":"e1","text":"  "}`},
			[]string{"error:empty"}, 0, false},
		{"missing client id", []string{`{"type":"message","text":"hi"}`},
			[]string{"error:bad_frame"}, 0, false},
		{"not json", []string{`{{`}, []string{"error:bad_frame"}, 0, false},
		{"ping", []string{`{"type":"ping"}`}, []string{"pong"}, 0, false},
		{"flood", []string{
			`{"type":"message","client_id":"f1","text":"a"}`,
			`{"type":"message","client_id":"f2","text":"a"}`,
			`{"type":"message","client_id":"f3","text":"a"}`,
			`{"type":"message","client_id":"f4","text":"a"}`},
			[]string{"ack", "ack", "ack", "error:rate_limited"}, 3, false},
		{"store down", []string{`{"type":"message","client_id":"d1","text":"hi"}`},
			[]string{"error:unavailable"}, 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			recv := &fakeReceiver{seen: map[string]channels.Receipt{}, fail: tc.fail}
			ws := dialGreeted(t, serve(t, testChannel(recv)))
			for _, f := range tc.frames {
				if err := ws.WriteMessage(websocket.TextMessage, []byte(f)); err != nil {
					t.Fatal(err)
				}
			}
			for i, w := range tc.want {
				got := readOut(t, ws)
				label := got.Type
				if got.Code != "" {
					label += ":" + got.Code
				}
				if label != w {
					t.Fatalf("frame %d = %+v, want %s", i, got, w)
				}
				if got.Type == "error" && got.Text == "" {
					t.Errorf("error frame without a text for the subscriber")
				}
			}
			if len(recv.got) != tc.stored {
				t.Errorf("dialog got %d messages, want %d", len(recv.got), tc.stored)
			}
		})
	}
}

func dialGreeted(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ws.Close() })
	if err := ws.WriteJSON(map[string]string{"type": "hello", "lang": "en"}); err != nil {
		t.Fatal(err)
	}
	if w := readOut(t, ws); w.Type != "welcome" || !validToken(w.Session) {
		t.Fatalf("welcome = %+v", w)
	}
	return ws
}

func readOut(t *testing.T, ws *websocket.Conn) out {
	t.Helper()
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := ws.ReadMessage()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var o out
	if err := json.Unmarshal(data, &o); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestChannel_ErrorTextsFollowTheLanguage(t *testing.T) {
	recv := &fakeReceiver{seen: map[string]channels.Receipt{}}
	ws := dialGreeted(t, serve(t, testChannel(recv)))
	_ = ws.WriteJSON(map[string]string{"type": "message", "client_id": "e", "text": " "})
	if o := readOut(t, ws); o.Text != "en:empty" {
		t.Errorf("error text = %q, want the English text for empty", o.Text)
	}
}

func TestChannel_OriginAllowed(t *testing.T) {
	c := testChannel(nil, "https://shop.example.com")
	cases := []struct {
		origin, host string
		want         bool
	}{
		{"", "gw.example.com", true},
		{"https://gw.example.com", "gw.example.com", true},
		{"https://shop.example.com", "gw.example.com", true},
		{"https://shop.example.com/", "gw.example.com", true},
		{"https://evil.example.net", "gw.example.com", false},
		{"https://shop.example.com.evil.net", "gw.example.com", false},
		{"null", "gw.example.com", false},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", "/chat/ws", nil)
		r.Host = tc.host
		if tc.origin != "" {
			r.Header.Set("Origin", tc.origin)
		}
		if got := c.originAllowed(r); got != tc.want {
			t.Errorf("origin %q on host %s: allowed %v, want %v", tc.origin, tc.host, got, tc.want)
		}
	}
	if !testChannel(nil, "*").originAllowed(withOrigin("https://anything.example")) {
		t.Error(`"*" did not allow every origin`)
	}
}

func withOrigin(o string) *http.Request {
	r := httptest.NewRequest("GET", "/chat/ws", nil)
	r.Header.Set("Origin", o)
	return r
}

func TestChannel_SendWithNoConnectionIsHeld(t *testing.T) {
	c := testChannel(nil)
	err := c.Send(context.Background(), channels.Outbound{Address: "nobody", Text: "hi"})
	if !errors.Is(err, channels.ErrNotConnected) {
		t.Fatalf("Send = %v, want ErrNotConnected", err)
	}
	if channels.Retryable(err) {
		t.Error("a held message was called retryable")
	}
}

func TestSession_Tokens(t *testing.T) {
	a, b := newToken(), newToken()
	if a == b || !validToken(a) || !validToken(b) {
		t.Fatalf("tokens %q %q: want two different valid tokens", a, b)
	}
	if addressOf(a) == addressOf(b) || addressOf(a) != addressOf(a) || strings.Contains(addressOf(a), a) {
		t.Error("the address must be a stable hash that does not reveal the token")
	}
	for _, bad := range []string{"", "short", strings.Repeat("A", 42) + "!", strings.Repeat("A", 44)} {
		if validToken(bad) {
			t.Errorf("validToken(%q) = true", bad)
		}
	}
}

func TestBucket_RefillsOverTime(t *testing.T) {
	now := time.Unix(0, 0)
	b := newBucket(2, 2, now)
	if !b.allow(now) || !b.allow(now) || b.allow(now) {
		t.Fatal("burst of 2 not enforced")
	}
	if !b.allow(now.Add(600 * time.Millisecond)) {
		t.Error("no token after 0.6 s at 2 per second")
	}
	if b.allow(now.Add(700 * time.Millisecond)) {
		t.Error("a token appeared from nothing")
	}
}

func TestChannel_ShutdownSendsRestartCode(t *testing.T) {
	c := testChannel(&fakeReceiver{seen: map[string]channels.Receipt{}})
	ws := dialGreeted(t, serve(t, c))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() { _ = c.Shutdown(ctx) }()
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err := ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseServiceRestart {
		t.Fatalf("on shutdown: %v, want close 1012", err)
	}
}

// A second tab of the same session sees what the first one sends; the
// sender itself only gets the ack.
func TestChannel_OtherTabsSeeTheMessage(t *testing.T) {
	recv := &fakeReceiver{seen: map[string]channels.Receipt{}}
	c := testChannel(recv)
	c.cfg.History = knownHistory{recv}
	url := serve(t, c)

	first, session := dialSession(t, url, "")
	send(t, first, "t1")
	if a := readOut(t, first); a.Type != "ack" {
		t.Fatalf("sender got %+v, want ack", a)
	}

	second, again := dialSession(t, url, session)
	if again != session {
		t.Fatalf("second tab got a new session")
	}
	send(t, first, "t2")
	if a := readOut(t, first); a.Type != "ack" || a.ClientID != "t2" {
		t.Fatalf("sender got %+v, want the ack of t2", a)
	}
	if m := readOut(t, second); m.Type != "message" || m.ClientID != "t2" || m.From != "subscriber" {
		t.Fatalf("other tab got %+v, want the subscriber's message", m)
	}
}

// knownHistory knows a conversation for every address the receiver saw.
type knownHistory struct{ r *fakeReceiver }

func (k knownHistory) FindConversation(_ context.Context, _, address string) (dialog.Conversation, error) {
	k.r.mu.Lock()
	defer k.r.mu.Unlock()
	for _, in := range k.r.got {
		if in.Address == address {
			return dialog.Conversation{ID: "c1", Address: address}, nil
		}
	}
	return dialog.Conversation{}, dialog.ErrNotFound
}

func (knownHistory) MessageSeq(context.Context, string, string) (int64, error) {
	return 0, dialog.ErrNotFound
}

func (knownHistory) MessagesAfter(context.Context, string, int64, int) ([]dialog.Message, error) {
	return nil, nil
}

func send(t *testing.T, ws *websocket.Conn, id string) {
	t.Helper()
	if err := ws.WriteJSON(map[string]string{"type": "message", "client_id": id, "text": "你好"}); err != nil {
		t.Fatal(err)
	}
}

// dialSession opens a connection with a session token and returns it with
// the session the server confirmed.
func dialSession(t *testing.T, url, session string) (*websocket.Conn, string) {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ws.Close() })
	if err := ws.WriteJSON(map[string]string{"type": "hello", "session": session}); err != nil {
		t.Fatal(err)
	}
	w := readOut(t, ws)
	if w.Type != "welcome" {
		t.Fatalf("welcome = %+v", w)
	}
	return ws, w.Session
}

// A slow answer shows a typing indicator, switched off once it is done.
func TestChannel_TypingWhileSlow(t *testing.T) {
	recv := &fakeReceiver{seen: map[string]channels.Receipt{}, delay: typingDelay + 200*time.Millisecond}
	ws := dialGreeted(t, serve(t, testChannel(recv)))
	send(t, ws, "slow")

	var got []string
	for len(got) < 3 {
		o := readOut(t, ws)
		label := o.Type
		if o.Type == "typing" {
			label += map[bool]string{true: ":on", false: ":off"}[o.On]
		}
		got = append(got, label)
	}
	if strings.Join(got, " ") != "typing:on typing:off ack" {
		t.Fatalf("frames %v, want typing on, typing off, ack", got)
	}
}

// A client that never answers pings is dropped after two intervals; one
// that answers them stays.
func TestChannel_DropsSilentClients(t *testing.T) {
	c := testChannel(&fakeReceiver{seen: map[string]channels.Receipt{}})
	c.cfg.PingInterval = 100 * time.Millisecond
	url := serve(t, c)
	silent := dialGreeted(t, url)
	alive := dialGreeted(t, url)
	go func() {
		// Reading answers pings (gorilla's default ping handler).
		for {
			if _, _, err := alive.ReadMessage(); err != nil {
				return
			}
		}
	}()

	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && c.Connections() > 1 {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // three more ping intervals
	if n := c.Connections(); n != 1 {
		t.Fatalf("%d connections open, want only the one answering pings", n)
	}
	_ = silent.Close()
}
