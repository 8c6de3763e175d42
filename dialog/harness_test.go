package dialog_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"hotline/dialog"
	"hotline/store/sqlite"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// harness is an engine over a real embedded store in a temporary folder.
type harness struct {
	dir       string
	store     *sqlite.Store
	engine    *dialog.Engine
	sweeper   *dialog.Sweeper
	clock     *fakeClock
	rec       *recorder
	know      *dialog.Knowledge
	texts     *dialog.Texts
	unseen    int
	idle      time.Duration
	retention time.Duration
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func newHarness(t *testing.T, know *dialog.Knowledge) *harness {
	t.Helper()
	texts, err := dialog.LoadTexts("../configs/messages.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{
		dir:       t.TempDir(),
		clock:     &fakeClock{now: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)},
		rec:       &recorder{},
		know:      know,
		texts:     texts,
		idle:      30 * time.Minute,
		retention: 30 * 24 * time.Hour,
	}
	h.open(t)
	t.Cleanup(func() { _ = h.store.Close() })
	return h
}

// open (re)opens the store and builds the engine on it.
func (h *harness) open(t *testing.T) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), h.dir, sqlite.Options{Synchronous: "normal"})
	if err != nil {
		t.Fatal(err)
	}
	h.store = st
	h.engine = dialog.NewEngine(dialog.EngineConfig{
		Store: st, Knowledge: h.know, Texts: h.texts, Clock: h.clock, Log: discard,
		Notifier: h.rec, CacheSize: 1000,
	})
	h.sweeper = dialog.NewSweeper(h.engine, h.idle, h.retention)
}

// unansweredDelta returns how many questions were logged since last asked.
func (h *harness) unansweredDelta(t *testing.T) int {
	t.Helper()
	all, err := h.store.UnansweredSince(context.Background(), time.Time{}, 100000)
	if err != nil {
		t.Fatal(err)
	}
	d := len(all) - h.unseen
	h.unseen = len(all)
	return d
}

func shippedKnowledge(t *testing.T) *dialog.Knowledge {
	t.Helper()
	k, err := dialog.LoadKnowledge(filepath.Join("..", "configs", "faq.yaml"),
		filepath.Join("..", "configs", "intents.yaml"), discard)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
