package dialog

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"hotline/dialog/intent"
	"hotline/dialog/kb"
)

// Knowledge holds the knowledge base and the intent router the bot answers
// with. It reloads both from their files on request or when the files
// change; a file that fails to load is rejected and the previous version
// stays in use, so a bad edit never takes the bot down.
type Knowledge struct {
	kbPath      string
	intentsPath string
	log         *slog.Logger

	current atomic.Pointer[knowledgeSet]
	mu      sync.Mutex // serialises reloads
	stamp   [2]fileStamp
}

type knowledgeSet struct {
	base   *kb.Base
	router *intent.Router
}

type fileStamp struct {
	mod  time.Time
	size int64
}

// LoadKnowledge loads the knowledge base and intent phrases. It returns an
// error naming the file and the problem when either fails to load.
func LoadKnowledge(kbPath, intentsPath string, log *slog.Logger) (*Knowledge, error) {
	k := &Knowledge{kbPath: kbPath, intentsPath: intentsPath, log: log}
	if err := k.Reload(); err != nil {
		return nil, err
	}
	return k, nil
}

// Reload reads both files again and swaps them in at once. On error the
// previous versions stay in use and the error says why.
func (k *Knowledge) Reload() error {
	k.mu.Lock()
	defer k.mu.Unlock()

	stamps := [2]fileStamp{stampOf(k.kbPath), stampOf(k.intentsPath)}
	base, err := kb.Load(k.kbPath)
	if err != nil {
		return fmt.Errorf("load knowledge base: %w", err)
	}
	router, err := intent.LoadRouter(k.intentsPath)
	if err != nil {
		return fmt.Errorf("load intents: %w", err)
	}

	k.current.Store(&knowledgeSet{base: base, router: router})
	k.stamp = stamps
	k.log.Info("knowledge base loaded", "entries", base.Len())
	return nil
}

// Watch checks the files every interval until ctx ends and reloads when
// either changed. A failed reload is logged and the old version kept.
func (k *Knowledge) Watch(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		return
	}
	every(ctx, interval, func() {
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
	return stampOf(k.kbPath) != k.stamp[0] || stampOf(k.intentsPath) != k.stamp[1]
}

// markSeen remembers the current file versions so a broken file is
// reported once, not at every tick.
func (k *Knowledge) markSeen() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.stamp = [2]fileStamp{stampOf(k.kbPath), stampOf(k.intentsPath)}
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

// Entry returns a knowledge base entry by id.
func (k *Knowledge) Entry(id string) (*kb.Entry, bool) {
	return k.current.Load().base.Entry(id)
}

// Len returns the number of entries in the knowledge base.
func (k *Knowledge) Len() int { return k.current.Load().base.Len() }
