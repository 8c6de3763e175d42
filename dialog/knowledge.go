package dialog

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"hotline/dialog/form"
	"hotline/dialog/intent"
	"hotline/dialog/kb"
)

// Knowledge holds the knowledge base, the intent router and the forms the
// bot works with. It reloads them from their files on request or when the
// files change; a file that fails to load is rejected and the previous
// versions stay in use, so a bad edit never takes the bot down.
type Knowledge struct {
	files KnowledgeFiles
	log   *slog.Logger

	current atomic.Pointer[knowledgeSet]
	mu      sync.Mutex // serialises reloads
	stamp   []fileStamp
}

// KnowledgeFiles are the files Knowledge loads.
type KnowledgeFiles struct {
	// KB is the knowledge base.
	KB string
	// Intents is the intent router's phrase file.
	Intents string
	// Flows is the fault-report and complaint forms file; empty leaves
	// the bot without forms.
	Flows string
}

func (f KnowledgeFiles) paths() []string { return []string{f.KB, f.Intents, f.Flows} }

type knowledgeSet struct {
	base   *kb.Base
	router *intent.Router
	flows  *form.Flows
}

type fileStamp struct {
	mod  time.Time
	size int64
}

// LoadKnowledge loads the knowledge base and intent phrases, without
// forms. It returns an error naming the file and the problem when either
// fails to load.
func LoadKnowledge(kbPath, intentsPath string, log *slog.Logger) (*Knowledge, error) {
	return OpenKnowledge(KnowledgeFiles{KB: kbPath, Intents: intentsPath}, log)
}

// OpenKnowledge loads every file. It returns an error naming the file and
// the problem when one fails to load.
func OpenKnowledge(files KnowledgeFiles, log *slog.Logger) (*Knowledge, error) {
	k := &Knowledge{files: files, log: log}
	if err := k.Reload(); err != nil {
		return nil, err
	}
	return k, nil
}

// Reload reads the files again and swaps them in at once. On error the
// previous versions stay in use and the error says why.
func (k *Knowledge) Reload() error {
	k.mu.Lock()
	defer k.mu.Unlock()

	stamps := stampsOf(k.files.paths())
	set := &knowledgeSet{}
	var err error
	if set.base, err = kb.Load(k.files.KB); err != nil {
		return fmt.Errorf("load knowledge base: %w", err)
	}
	if set.router, err = intent.LoadRouter(k.files.Intents); err != nil {
		return fmt.Errorf("load intents: %w", err)
	}
	if k.files.Flows != "" {
		if set.flows, err = form.Load(k.files.Flows); err != nil {
			return fmt.Errorf("load flows: %w", err)
		}
	}

	k.current.Store(set)
	k.stamp = stamps
	k.log.Info("knowledge base loaded", "entries", set.base.Len())
	return nil
}

// Flows returns the forms, or nil when none were loaded.
func (k *Knowledge) Flows() *form.Flows { return k.current.Load().flows }

// Watch checks the files every interval until ctx ends and reloads when
// either changed. A failed reload is logged and the old version kept.
func (k *Knowledge) Watch(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		return
	}
	Every(ctx, interval, func() {
		if !k.changed() {
			return
		}
		if err := k.Reload(); err != nil {
			k.log.Error("knowledge base reload rejected; keeping the previous version",
				"error", err)
			k.markSeen()
		}
	})
}

func (k *Knowledge) changed() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return !slices.Equal(stampsOf(k.files.paths()), k.stamp)
}

// markSeen remembers the current file versions so a broken file is
// reported once, not at every tick.
func (k *Knowledge) markSeen() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.stamp = stampsOf(k.files.paths())
}

func stampsOf(paths []string) []fileStamp {
	out := make([]fileStamp, len(paths))
	for i, p := range paths {
		if p != "" {
			out[i] = stampOf(p)
		}
	}
	return out
}

func stampOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{mod: fi.ModTime(), size: fi.Size()}
}

// Decide runs the router and the matcher on text, as the bot does.
func (k *Knowledge) Decide(text string) intent.Decision {
	s := k.current.Load()
	return intent.Decide(s.router, s.base, text)
}

// decide is what the turn's inbound text reads as: an intent or a
// knowledge-base match. It is worked out once per turn, however many steps
// of the turn ask.
func (e *Engine) decide(t *turn) intent.Decision {
	if t.decision == nil {
		d := e.know.Decide(t.in.Text)
		t.decision = &d
	}
	return *t.decision
}

// Entry returns a knowledge base entry by id.
func (k *Knowledge) Entry(id string) (*kb.Entry, bool) {
	return k.current.Load().base.Entry(id)
}

// Len returns the number of entries in the knowledge base.
func (k *Knowledge) Len() int { return k.current.Load().base.Len() }
