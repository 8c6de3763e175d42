package wechat

import (
	"sync"
	"time"
)

// WeChat lets an account send customer-service messages only after the
// follower interacts: for 48 hours after a message, 5 messages at most;
// for a minute after a menu click or a follow, 3 at most. A new
// interaction opens a new window.
const (
	messageWindow = 48 * time.Hour
	messageQuota  = 5
	eventWindow   = time.Minute
	eventQuota    = 3
)

// windows tracks each follower's customer-service window, so the channel
// knows when WeChat would refuse a message and says so without calling
// it. It lives in memory, for one instance: after a restart a follower's
// window is unknown and the API is tried (redisWindows serves several
// instances). Safe for concurrent use.
type windows struct {
	mu    sync.Mutex
	now   func() time.Time
	byTo  map[string]window
	calls int
}

// window is one follower's open window.
type window struct {
	until time.Time
	left  int
}

func newWindows(now func() time.Time) *windows {
	return &windows{now: now, byTo: map[string]window{}}
}

// opened records an interaction: a message, or an event (click, follow).
func (ws *windows) opened(openID string, event bool) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	w := window{until: ws.now().Add(messageWindow), left: messageQuota}
	if event {
		w = window{until: ws.now().Add(eventWindow), left: eventQuota}
		if old, ok := ws.byTo[openID]; ok && old.until.After(w.until) {
			return // a message's longer window is still open
		}
	}
	ws.byTo[openID] = w
	ws.calls++
	if ws.calls%1024 == 0 {
		ws.prune()
	}
}

// use takes one message of the follower's quota, or says why WeChat would
// refuse it. A follower the channel has no record of is let through.
func (ws *windows) use(openID string) error {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	w, ok := ws.byTo[openID]
	switch {
	case !ok:
		return nil
	case !ws.now().Before(w.until):
		return errWindowClosed
	case w.left <= 0:
		return errQuotaUsed
	}
	w.left--
	ws.byTo[openID] = w
	return nil
}

// giveBack returns a message to the quota when WeChat did not take it.
func (ws *windows) giveBack(openID string) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if w, ok := ws.byTo[openID]; ok {
		w.left++
		ws.byTo[openID] = w
	}
}

// prune forgets closed windows.
func (ws *windows) prune() {
	now := ws.now()
	for k, w := range ws.byTo {
		if !now.Before(w.until) {
			delete(ws.byTo, k)
		}
	}
}
