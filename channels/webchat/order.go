package webchat

import (
	"context"
	"sync"
	"time"
)

// tracker is what a connection knows of the transcript it has written to
// its client. Sequenced frames (message frames and the acks of the
// client's own messages) reach a connection from several goroutines: the
// outbox's workers, the relay's listener, another tab's reader, the
// connection's reader, a catch-up. Every one passes through the tracker,
// which writes them in seq order and each seq once.
//
// A frame is written in one of two ways. While no goroutine is the
// transcript writer, a frame that follows the mark is queued under mu
// without waiting (enqueue). The transcript writer (busy) writes outside
// mu and may wait for a slow client (push); frames that come meanwhile,
// and frames past a gap, are held until it is their turn.
type tracker struct {
	mu   sync.Mutex
	conv string // the conversation's id, once known
	// mark is the highest seq the client has had, as a frame, an ack or
	// the id it resumed after.
	mark int64
	// held are frames that wait for their turn, by seq.
	held map[int64][]byte
	// sending is the client id of the message the reader is storing, and
	// own its seq once a transcript read has seen it: its ack takes its
	// place, and the messages after it wait for that ack.
	sending string
	own     int64
	// busy is set while one goroutine is the transcript writer.
	busy bool
	// again asks for a transcript read: messages may be missing that no
	// held frame shows.
	again bool
	// failed is set while the last transcript read failed; the next one
	// waits retryDelay.
	failed bool
	// waiting is set while a gap timer runs.
	waiting bool
	closed  bool
}

// maxHeld bounds the frames held past a gap. A frame beyond it is dropped
// from memory and read from the transcript instead.
const maxHeld = sendQueue

// gapGrace is how long a gap may stay open before the transcript is read.
// A frame that overtook another (two instances relayed out of order)
// usually closes it within this time, and then no read is needed.
const gapGrace = 300 * time.Millisecond

// retryDelay is how long a connection waits to read the transcript again
// after a read failed. Its held frames wait with it: they are written
// late, in order, rather than past the gap.
const retryDelay = 5 * time.Second

// offer writes a sequenced frame of the conversation in transcript order.
// A frame the client has already had is dropped; one past a gap is held
// until the gap closes or the transcript fills it. A frame without a seq,
// or of another conversation than the one the connection follows (the
// session's conversation was replaced), is written as it comes. It
// reports false when the connection is gone.
func (c *conn) offer(conv string, seq int64, frame []byte) bool {
	if seq <= 0 {
		return c.enqueue(frame)
	}
	t := &c.tr
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.closed:
		return false
	case !t.follows(conv):
		return c.enqueue(frame)
	case seq <= t.mark:
		return true
	}
	t.hold(seq, frame)
	if !t.busy {
		c.drainLocked()
		c.scheduleLocked()
	}
	return true
}

// follows reports whether a frame of conv belongs to the conversation the
// tracker follows, which is conv when none was known yet.
func (t *tracker) follows(conv string) bool {
	if t.conv == "" {
		t.conv = conv
	}
	return conv == "" || conv == t.conv
}

// hold keeps a frame until its turn. Past maxHeld, a frame that is not
// next is dropped and a transcript read is asked for instead.
func (t *tracker) hold(seq int64, frame []byte) {
	if t.held == nil {
		t.held = make(map[int64][]byte)
	}
	if len(t.held) >= maxHeld && seq != t.mark+1 {
		t.again = true
		return
	}
	t.held[seq] = frame
}

// dropWritten forgets the held frames the client already has.
func (t *tracker) dropWritten() {
	for seq := range t.held {
		if seq <= t.mark {
			delete(t.held, seq)
		}
	}
}

// drainLocked queues the held frames that follow the mark without a gap.
// Only a caller that found no transcript writer calls it.
func (c *conn) drainLocked() {
	t := &c.tr
	t.dropWritten()
	for {
		frame, ok := t.held[t.mark+1]
		if !ok {
			return
		}
		delete(t.held, t.mark+1)
		t.mark++
		if !c.enqueue(frame) {
			return
		}
	}
}

// waitsForAck reports whether the next seq is the reader's own message,
// whose ack is still to come.
func (t *tracker) waitsForAck() bool {
	return t.sending != "" && t.own == t.mark+1
}

// gap reports whether the transcript has to be read: a held frame does
// not follow the mark, a read was asked for, or the last one failed. A
// gap that the reader's ack will close is none.
func (t *tracker) gap() bool {
	if t.waitsForAck() {
		return false
	}
	return len(t.held) > 0 || t.again || t.failed
}

// scheduleLocked starts a gap timer when there is a gap, no transcript
// writer and no timer yet.
func (c *conn) scheduleLocked() {
	t := &c.tr
	if t.closed || t.busy || t.waiting || !t.gap() {
		return
	}
	t.waiting = true
	delay := gapGrace
	if t.failed {
		delay = retryDelay
	}
	// The reader is still running (not closed), so the channel's wait
	// group is not at zero.
	c.ch.wg.Add(1)
	go c.awaitGap(delay)
}

// awaitGap gives a gap time to close by itself, then reads the transcript
// if it has not.
func (c *conn) awaitGap(delay time.Duration) {
	defer c.ch.wg.Done()
	timer := time.NewTimer(delay)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-c.done:
		return
	}
	if c.gapStillOpen() {
		c.writeOut(context.Background())
	}
}

// gapStillOpen ends the gap timer and, when the gap is still there and
// nobody writes, makes the caller the transcript writer for a read.
func (c *conn) gapStillOpen() bool {
	t := &c.tr
	t.mu.Lock()
	defer t.mu.Unlock()
	t.waiting = false
	if t.closed || t.busy || !t.gap() {
		return false
	}
	t.busy, t.again = true, true
	return true
}

// storing tells the tracker which message the reader hands to the dialog.
func (c *conn) storing(clientID string) {
	c.tr.mu.Lock()
	c.tr.sending, c.tr.own = clientID, 0
	c.tr.mu.Unlock()
}

// notStored tells the tracker the reader's message got no ack. Should it
// be in the transcript after all, a read writes it as a message frame.
func (c *conn) notStored() {
	t := &c.tr
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sending, t.own = "", 0
	c.scheduleLocked()
}

// ackPlace says who writes an ack.
type ackPlace int

const (
	ackHeld  ackPlace = iota // the transcript writer, in its turn
	ackNow                   // the reader, as it is
	ackWrite                 // the reader, as the transcript writer
)

// ack writes the ack of the reader's message in its place in transcript
// order: after the messages before it, before those after it. The ack of
// a message the client already has (a repeat) is written as it is.
func (c *conn) ack(ctx context.Context, conv string, seq int64, frame []byte) {
	switch c.placeAck(conv, seq, frame) {
	case ackNow:
		c.push(frame)
	case ackWrite:
		c.writeOut(ctx)
	case ackHeld:
		// The goroutine that is the transcript writer writes it.
	}
}

// placeAck holds the ack in its message's place and says who writes it.
func (c *conn) placeAck(conv string, seq int64, frame []byte) ackPlace {
	t := &c.tr
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sending, t.own = "", 0
	if t.closed || !t.follows(conv) || seq <= t.mark {
		return ackNow
	}
	if t.held == nil {
		t.held = make(map[int64][]byte)
	}
	t.held[seq] = frame
	if t.busy {
		return ackHeld
	}
	t.busy = true
	return ackWrite
}

// startWriting makes the reader the transcript writer of a new session
// before any frame can reach the connection.
func (c *conn) startWriting(conv string) {
	c.tr.mu.Lock()
	c.tr.conv, c.tr.busy = conv, true
	c.tr.mu.Unlock()
}

// resumedAt moves the mark to the last message the client showed.
func (c *conn) resumedAt(seq int64) {
	c.tr.mu.Lock()
	c.tr.mark = max(c.tr.mark, seq)
	c.tr.mu.Unlock()
}

// release gives up being the transcript writer of a connection that is
// gone.
func (c *conn) release() {
	c.tr.mu.Lock()
	c.tr.busy = false
	c.tr.mu.Unlock()
}

// closeTracker stops the tracker when the reader ends: nothing is held
// and no goroutine is started for the connection any more.
func (c *conn) closeTracker() {
	c.tr.mu.Lock()
	c.tr.closed = true
	c.tr.held = nil
	c.tr.mu.Unlock()
}
