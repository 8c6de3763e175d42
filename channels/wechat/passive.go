package wechat

import (
	"context"
	"sync"
	"time"

	"hotline/channels"
)

// waiter is an open callback that can still carry replies to its message
// in WeChat's passive reply. The outbox's Send hands it the replies to
// that message; the callback writes them together in its response.
type waiter struct {
	address string
	ready   chan struct{} // closed once msgID and want are known
	msgID   string
	want    int

	readyOnce sync.Once
	doneOnce  sync.Once

	mu      sync.Mutex
	open    bool
	got     []channels.Outbound
	bytes   int
	full    chan struct{} // closed when every reply is in
	written chan struct{} // closed once the response is written
}

// waiters are the open callbacks by follower.
type waiters struct {
	mu   sync.Mutex
	byTo map[string][]*waiter
}

func newWaiters() *waiters { return &waiters{byTo: map[string][]*waiter{}} }

// open registers a callback of a follower before its message is received.
func (ws *waiters) open(address string) *waiter {
	w := &waiter{address: address, ready: make(chan struct{}), open: true,
		full: make(chan struct{}), written: make(chan struct{})}
	ws.mu.Lock()
	ws.byTo[address] = append(ws.byTo[address], w)
	ws.mu.Unlock()
	return w
}

// remove forgets a callback once its response is written.
func (ws *waiters) remove(w *waiter) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	list := ws.byTo[w.address]
	for i, x := range list {
		if x == w {
			list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(ws.byTo, w.address)
	} else {
		ws.byTo[w.address] = list
	}
}

// of returns a follower's open callbacks, oldest first.
func (ws *waiters) of(address string) []*waiter {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return append([]*waiter(nil), ws.byTo[address]...)
}

// known records what the message became: its id and how many replies it
// has. An empty id means it was not received (or was a repeat).
func (w *waiter) known(msgID string, replies int) {
	w.readyOnce.Do(func() {
		w.msgID, w.want = msgID, replies
		if replies == 0 {
			close(w.full)
		}
		close(w.ready)
	})
}

// done marks the callback's response written (or abandoned) and forgets
// the waiter; replies held back for the order may go on.
func (ws *waiters) done(w *waiter) {
	w.doneOnce.Do(func() {
		w.known("", 0)
		w.finish()
		ws.remove(w)
		close(w.written)
	})
}

// take accepts a reply to the waiter's message while the callback is
// open and the passive reply has room for it.
func (w *waiter) take(m channels.Outbound, size int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.open || w.msgID == "" || m.ReplyTo != w.msgID || w.bytes+size > maxPassiveBytes {
		return false
	}
	w.got = append(w.got, m)
	w.bytes += size
	if len(w.got) == w.want {
		close(w.full)
	}
	return true
}

// took reports whether the waiter holds replies not yet written.
func (w *waiter) took() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.got) > 0
}

// finish closes the waiter to further replies and returns those it took.
func (w *waiter) finish() []channels.Outbound {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.open = false
	return w.got
}

// passive hands a reply to an open callback of its follower, if one can
// carry it, and reports whether it did. A reply that cannot go in a
// passive reply whose callback took earlier replies waits until that
// response is written, so the follower sees the replies in order.
func (c *Channel) passive(ctx context.Context, m channels.Outbound, text string) bool {
	for _, w := range c.waiters.of(m.Address) {
		select {
		case <-w.ready:
		case <-ctx.Done():
			return false
		case <-time.After(c.cfg.ReplyBudget):
			continue
		}
		if w.take(m, len(text)) {
			return true
		}
		if w.took() {
			select {
			case <-w.written:
			case <-ctx.Done():
			}
		}
	}
	return false
}
