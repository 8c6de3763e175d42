package wechat

import (
	"sync"
	"time"
)

// partsSent remembers how many parts of a long message went out before a
// retryable failure, so the outbox's retry sends only the rest and the
// follower does not read the first parts twice. It lives in memory: after
// a restart a retry starts again from the first part.
type partsSent struct {
	mu   sync.Mutex
	now  func() time.Time
	byID map[string]partsEntry
}

type partsEntry struct {
	n  int
	at time.Time
}

// partsKept is how long a message's count is kept for its retry.
const partsKept = time.Hour

func newPartsSent(now func() time.Time) *partsSent {
	return &partsSent{now: now, byID: map[string]partsEntry{}}
}

// done is how many parts of the message were sent already.
func (p *partsSent) done(id string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.byID[id].n
}

// sent records that the parts before index n were sent.
func (p *partsSent) sent(id string, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	for k, e := range p.byID {
		if now.Sub(e.at) > partsKept {
			delete(p.byID, k)
		}
	}
	p.byID[id] = partsEntry{n: n, at: now}
}

// forget drops the message's count once it is sent or given up.
func (p *partsSent) forget(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.byID, id)
}
