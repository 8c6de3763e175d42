package sms

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// sentLog writes the provider ids of sent messages in the background, many
// in one commit, so sending never waits for the store. An id not yet
// written when the process dies is lost: that message's delivery reports
// then match nothing, and it keeps the status the outbox recorded.
type sentLog struct {
	channel string
	store   Store
	log     *slog.Logger

	mu      sync.Mutex
	queue   []Sent
	wake    chan struct{}
	flushed *sync.Cond // signalled after every write, for Flush
	writing bool
}

// sentBatch is the most ids written in one commit; sentQueue the most
// waiting, beyond which the oldest are dropped (and logged).
const (
	sentBatch     = 512
	sentQueue     = 16384
	sentWriteTime = 10 * time.Second
)

func newSentLog(channel string, store Store, log *slog.Logger) *sentLog {
	l := &sentLog{channel: channel, store: store, log: log, wake: make(chan struct{}, 1)}
	l.flushed = sync.NewCond(&l.mu)
	go l.run()
	return l
}

// add queues one id for writing.
func (l *sentLog) add(s Sent) {
	l.mu.Lock()
	if len(l.queue) >= sentQueue {
		l.queue = l.queue[1:]
		l.log.Warn("sms send ids dropped: the store is not keeping up", "channel", l.channel)
	}
	l.queue = append(l.queue, s)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// run writes what is queued, a batch at a time, for the life of the
// process.
func (l *sentLog) run() {
	for range l.wake {
		for l.writeBatch() {
		}
	}
}

// writeBatch writes up to sentBatch queued ids and reports whether it
// wrote any.
func (l *sentLog) writeBatch() bool {
	l.mu.Lock()
	n := min(len(l.queue), sentBatch)
	batch := append([]Sent(nil), l.queue[:n]...)
	l.queue = l.queue[n:]
	l.writing = n > 0
	l.mu.Unlock()
	if n == 0 {
		l.signal()
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), sentWriteTime)
	err := l.store.RecordSends(ctx, l.channel, batch)
	cancel()
	if err != nil {
		l.log.Warn("sms send ids not recorded; their reports will not match", "channel", l.channel,
			"count", len(batch), "error", err)
	}
	l.signal()
	return true
}

func (l *sentLog) signal() {
	l.mu.Lock()
	l.writing = false
	l.flushed.Broadcast()
	l.mu.Unlock()
}

// Flush waits until every id queued so far is written.
func (l *sentLog) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(l.queue) > 0 || l.writing {
		l.flushed.Wait()
	}
}

// Flush waits until the provider ids of the messages sent so far are
// written, so their delivery reports find them; the gateway calls it on
// the way out.
func (c *Channel) Flush() { c.sent.Flush() }
