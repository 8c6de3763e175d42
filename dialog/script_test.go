package dialog_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"hotline/channels"
	"hotline/dialog"
)

var update = flag.Bool("update", false, "rewrite the expected results in testdata/scripts")

// script is a scripted conversation: what the subscriber does, turn by
// turn, and what the bot must answer.
type script struct {
	Name  string       `yaml:"name"`
	Lang  string       `yaml:"lang,omitempty"`
	Turns []scriptTurn `yaml:"turns"`
}

type scriptTurn struct {
	// Say is the subscriber's text; Payload a quick reply's payload.
	Say     string `yaml:"say,omitempty"`
	Payload string `yaml:"payload,omitempty"`
	// ID is the provider message id; a repeated id is a provider retry.
	ID string `yaml:"id,omitempty"`
	// Wait lets time pass and runs the idle sweep instead of a message.
	Wait string `yaml:"wait,omitempty"`
	// Want is what must follow.
	Want want `yaml:"want"`
}

type want struct {
	State      string      `yaml:"state"`
	Duplicate  bool        `yaml:"duplicate,omitempty"`
	Replies    []wantReply `yaml:"replies"`
	Unanswered int         `yaml:"unanswered,omitempty"`
}

type wantReply struct {
	From  string   `yaml:"from"`
	Text  string   `yaml:"text"`
	Quick []string `yaml:"quick,omitempty"`
}

// TestScripts replays every conversation in testdata/scripts against the
// real engine, the shipped knowledge base, intents and texts, and the
// embedded store. Run with -update to rewrite the expectations after a
// deliberate change, then review the diff.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/scripts/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts found: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { runScript(t, f) })
	}
}

func runScript(t *testing.T, path string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s script
	if err := yaml.Unmarshal(raw, &s); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}

	h := newHarness(t, shippedKnowledge(t))
	for i := range s.Turns {
		got := h.play(t, s.Lang, s.Turns[i])
		if *update {
			s.Turns[i].Want = got
			continue
		}
		if !equalWant(got, s.Turns[i].Want) {
			t.Errorf("turn %d (%q): got\n%s\nwant\n%s", i+1, s.Turns[i].Say,
				dump(got), dump(s.Turns[i].Want))
		}
	}

	if *update {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// play runs one turn and reports what happened.
func (h *harness) play(t *testing.T, lang string, st scriptTurn) want {
	t.Helper()
	ctx := context.Background()
	h.rec.take()
	var w want

	if st.Wait != "" {
		d, err := time.ParseDuration(st.Wait)
		if err != nil {
			t.Fatalf("bad wait %q: %v", st.Wait, err)
		}
		h.clock.advance(d)
		h.sweeper.Sweep(ctx)
	} else {
		h.clock.advance(time.Second)
		rec, err := h.engine.Receive(ctx, channels.Inbound{
			Channel: "test", Address: "subscriber-1", ProviderID: st.ID,
			Text: st.Say, Payload: st.Payload, Lang: lang, ReceivedAt: h.clock.Now(),
		})
		if err != nil {
			t.Fatalf("receive %q: %v", st.Say, err)
		}
		w.Duplicate = rec.Duplicate
	}

	for _, m := range h.rec.take() {
		r := wantReply{From: m.From, Text: m.Text}
		for _, q := range m.QuickReplies {
			r.Quick = append(r.Quick, q.Payload)
		}
		w.Replies = append(w.Replies, r)
	}
	conv, err := h.store.FindConversation(ctx, "test", "subscriber-1")
	if err != nil {
		t.Fatalf("load conversation: %v", err)
	}
	w.State = conv.State
	w.Unanswered = h.unansweredDelta(t)
	return w
}

func equalWant(a, b want) bool {
	x, _ := yaml.Marshal(a)
	y, _ := yaml.Marshal(b)
	return bytes.Equal(x, y)
}

func dump(w want) string {
	b, _ := yaml.Marshal(w)
	return string(b)
}

// recorder is a Notifier that keeps what the engine sent.
type recorder struct {
	mu   sync.Mutex
	msgs []dialog.Message
}

func (r *recorder) Notify(_ dialog.Conversation, msgs []dialog.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, msgs...)
}

func (r *recorder) take() []dialog.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.msgs
	r.msgs = nil
	return out
}
