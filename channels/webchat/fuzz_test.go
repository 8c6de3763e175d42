package webchat

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"hotline/channels"
)

// FuzzClientFrames hands the frames a web chat client may send (one a
// line: hello, message, ping, typing or anything else) to a connection's
// frame handler, as its reader does, and checks what comes back and what
// reaches the dialog. Every frame the server writes is JSON of a known
// type, an error frame has a known code and a text; no frame handling
// panics; every message handed to the dialog has the session's address,
// a valid client id, trimmed UTF-8 text without NULs within the length
// limit, and a short payload; and a frame is answered promptly.
func FuzzClientFrames(f *testing.F) {
	for _, s := range []string{
		`{"type":"hello","lang":"en"}` + "\n" + `{"type":"message","client_id":"a1","text":"你好"}`,
		`{"type":"hello"}` + "\n" + `{"type":"message","client_id":"a1","text":"hi"}` + "\n" + `{"type":"message","client_id":"a1","text":"hi"}`,
		`{"type":"hello","session":"` + newToken() + `","after":"m1"}` + "\n" + `{"type":"ping"}`,
		`{"type":"message","client_id":"early","text":"before hello"}`,
		`{"type":"hello"}` + "\n" + `{"type":"message","client_id":"q1","text":"","payload":"kb:x"}`,
		`{"type":"hello"}` + "\n" + `{"type":"message","client_id":"l1","text":"` + strings.Repeat("长", 21) + `"}`,
		`{"type":"hello"}` + "\n" + `{"type":"message","client_id":"n1","text":"a\u0000b"}`,
		`{"type":"hello"}` + "\n" + "{\"type\":\"message\",\"client_id\":\"u1\",\"text\":\"\xff\xfe\"}",
		`{"type":"hello"}` + "\n" + `{"type":"message","client_id":"s1","text":"\ud800"}`,
		`{"type":"hello"}` + "\n" + `{"type":"message","client_id":"` + strings.Repeat("x", 65) + `","text":"a"}`,
		`{"type":"hello"}` + "\n" + `{"type":"message","client_id":"p1","text":"a","payload":"` + strings.Repeat("p", 129) + `"}`,
		`{"type":"hello"}` + "\n" + `{"type":"typing","on":true}` + "\n" + `{"type":"hello"}`,
		`{"type":"hello","type":"message","client_id":"d1","text":"dup keys"}`,
		`{"TYPE":"hello","Session":"x"}` + "\n" + `{"type":"message","CLIENT_ID":"c1","Text":"case"}`,
		`{{` + "\n" + `null` + "\n" + `[]` + "\n" + `"hello"` + "\n" + `{"type":1}`,
		strings.Repeat(`{"a":`, 1000) + `1` + strings.Repeat(`}`, 1000),
	} {
		f.Add(s)
	}

	f.Fuzz(func(t *testing.T, frames string) {
		logs := &errorLog{}
		recv := &fakeReceiver{seen: map[string]channels.Receipt{}}
		ch := New(Config{
			Receiver: recv, History: noHistory{}, Texts: keyTexts{},
			Log: slog.New(logs), ReadLimit: 4096, MaxTextRunes: 20,
			RatePerSecond: 1000, RateBurst: 1000, PingInterval: time.Second,
			WriteTimeout: time.Second, HistoryLimit: 10,
		})
		c := newConn(ch, nil)
		defer func() {
			c.shutdown()
			c.closeTracker()
			ch.hub.remove(c)
		}()

		lines := strings.Split(frames, "\n")
		if len(lines) > 20 {
			lines = lines[:20]
		}
		for _, line := range lines {
			start := time.Now()
			keep := c.handle([]byte(line))
			if took := time.Since(start); took > 2*time.Second {
				t.Fatalf("frame %q took %v", line, took)
			}
			if msg := logs.first(); msg != "" {
				t.Fatalf("frame %q: %s", line, msg)
			}
			drainFrames(t, c)
			if !keep {
				break
			}
		}
		for _, in := range recv.got {
			switch {
			case in.Channel != Name || in.Address == "" || in.Address != c.address:
				t.Fatalf("message from %q on %q, session %q", in.Address, in.Channel, c.address)
			case !clientIDPattern.MatchString(in.ProviderID):
				t.Fatalf("client id %q", in.ProviderID)
			case in.Text != strings.TrimSpace(in.Text) || !utf8.ValidString(in.Text) ||
				strings.ContainsRune(in.Text, 0) || utf8.RuneCountInString(in.Text) > 20:
				t.Fatalf("text %q handed to the dialog", in.Text)
			case len(in.Payload) > 128 || (in.Text == "" && in.Payload == ""):
				t.Fatalf("payload %q with text %q", in.Payload, in.Text)
			}
		}
	})
}

// serverFrameTypes and errorCodes are what the server may write.
var (
	serverFrameTypes = []string{"welcome", "ack", "message", "typing", "error", "pong"}
	errorCodes       = []string{codeBadFrame, codeTooLong, codeEmpty, codeRateLimited, codeUnavailable}
)

// drainFrames reads what the connection queued for its writer and checks
// each frame.
func drainFrames(t *testing.T, c *conn) {
	t.Helper()
	for {
		select {
		case b := <-c.send:
			if b == nil {
				continue // a close frame asked for
			}
			var fr struct{ Type, Code, Text string }
			if err := json.Unmarshal(b, &fr); err != nil || !slices.Contains(serverFrameTypes, fr.Type) {
				t.Fatalf("server frame %q", b)
			}
			if fr.Type == "error" && (!slices.Contains(errorCodes, fr.Code) || fr.Text == "") {
				t.Fatalf("error frame %q", b)
			}
		default:
			return
		}
	}
}

// errorLog is a slog handler that keeps the first error-level message.
type errorLog struct {
	mu  sync.Mutex
	msg string
}

func (l *errorLog) Enabled(_ context.Context, level slog.Level) bool { return level >= slog.LevelError }
func (l *errorLog) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.msg == "" {
		l.msg = r.Message
		r.Attrs(func(a slog.Attr) bool { l.msg += " " + a.String(); return true })
	}
	return nil
}
func (l *errorLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *errorLog) WithGroup(string) slog.Handler      { return l }

func (l *errorLog) first() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.msg
}

// A NUL in a message's text is dropped before the dialog gets it; the
// message is taken as the rest of its text.
func TestMessage_NULIsDropped(t *testing.T) {
	recv := &fakeReceiver{seen: map[string]channels.Receipt{}}
	c := newConn(testChannel(recv), nil)
	defer c.shutdown()
	for _, frame := range []string{`{"type":"hello"}`, `{"type":"message","client_id":"n1","text":"a\u0000b"}`} {
		c.handle([]byte(frame))
		drainFrames(t, c)
	}
	if len(recv.got) != 1 || recv.got[0].Text != "ab" {
		t.Fatalf("dialog got %+v", recv.got)
	}
}
