package webchat

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"

	"hotline/dialog"
)

// catchUpWorkers bounds how many transcript reads catch-ups make at once,
// over all connections, so that thousands of sockets catching up after
// the relay resubscribed do not all query the database together.
const catchUpWorkers = 4

// roundTimeout bounds one transcript read of a catch-up, including the
// wait for its turn among catchUpWorkers.
const roundTimeout = 10 * time.Second

// CatchUp writes to every open socket the messages its transcript holds
// beyond the last one the socket had, in order. It is meant for when the
// relay's subscription is made again after a break, during which relayed
// messages were lost. At most catchUpWorkers sockets read the transcript
// at a time; CatchUp returns when every socket has been read for, or ctx
// ends. A socket whose read fails tries again by itself after retryDelay.
//
// One read writes at most HistoryLimit messages, the newest, as a resume
// does: a socket that missed more than that skips the older ones.
func (c *Channel) CatchUp(ctx context.Context) {
	conns := c.hub.bound()
	if len(conns) == 0 {
		return
	}
	start := time.Now()
	work := make(chan *conn)
	var wg sync.WaitGroup
	for range min(catchUpWorkers, len(conns)) {
		wg.Go(func() {
			for cn := range work {
				if cn.claim() {
					cn.writeOut(ctx)
				}
			}
		})
	}
	feed(ctx, work, conns)
	wg.Wait()
	c.log.Info("web chat sockets caught up with their transcripts",
		"sockets", len(conns), "took", time.Since(start).Round(time.Millisecond))
}

// feed hands conns to the workers until they are all taken or ctx ends,
// then closes work.
func feed(ctx context.Context, work chan<- *conn, conns []*conn) {
	defer close(work)
	for _, cn := range conns {
		select {
		case work <- cn:
		case <-ctx.Done():
			return
		}
	}
}

// claim asks for a transcript read and makes the caller the transcript
// writer. When another goroutine already is, that one makes the read and
// claim returns false.
func (c *conn) claim() bool {
	t := &c.tr
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.again = true
	if t.busy {
		return false
	}
	t.busy = true
	return true
}

// writeOut is the transcript writer's loop: it writes the held frames in
// their turn and reads the transcript when a read is asked for, until
// there is nothing to do or the connection is gone. The caller is the
// transcript writer; writeOut gives that up when it returns.
func (c *conn) writeOut(ctx context.Context) {
	for {
		frame, read, ok := c.nextWrite()
		if !ok {
			return
		}
		var alive bool
		if read {
			alive = c.round(ctx)
		} else {
			alive = c.push(frame)
		}
		if !alive {
			c.release()
			return
		}
	}
}

// nextWrite is the transcript writer's next step: the held frame that
// follows the mark, else a transcript read when one is asked for. When
// there is neither it gives up being the writer, starts a gap timer if a
// gap is left, and reports false.
func (c *conn) nextWrite() (frame []byte, read, ok bool) {
	t := &c.tr
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		t.busy = false
		return nil, false, false
	}
	t.dropWritten()
	if frame, found := t.held[t.mark+1]; found {
		delete(t.held, t.mark+1)
		t.mark++
		return frame, false, true
	}
	if t.again && !t.waitsForAck() {
		t.again = false
		return nil, true, true
	}
	t.busy = false
	c.scheduleLocked()
	return nil, false, false
}

// round reads the messages after the mark, waiting for its turn among
// catchUpWorkers, and writes those the client has not had. A read that
// fails is tried again later. It reports false once the connection is
// gone.
func (c *conn) round(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, roundTimeout)
	defer cancel()
	select {
	case c.ch.slots <- struct{}{}:
	case <-ctx.Done():
		c.readFailed(ctx.Err())
		return true
	case <-c.done:
		return false
	}
	before := c.heldSeqs()
	msgs, err := c.missed(ctx)
	<-c.ch.slots
	if err != nil {
		c.readFailed(err)
		return true
	}
	c.tr.mu.Lock()
	c.tr.failed = false
	c.tr.mu.Unlock()
	return c.writeTranscript(msgs) && c.writeHeld(before)
}

// heldSeqs returns the seqs held at this moment.
func (c *conn) heldSeqs() []int64 {
	c.tr.mu.Lock()
	defer c.tr.mu.Unlock()
	return slices.Collect(maps.Keys(c.tr.held))
}

// writeHeld writes, in seq order, the frames held before the transcript
// read began (before) and those that follow them without a gap. Every
// message is stored before its frame is sent, so a read made after a frame
// came has every message before it; a seq the read did not have is not in
// the transcript, and there is nothing to wait for. Only the transcript
// writer calls it. It reports false once the connection is gone.
func (c *conn) writeHeld(before []int64) bool {
	for {
		frame, ok := c.nextHeld(before)
		if !ok {
			return true
		}
		if !c.push(frame) {
			return false
		}
	}
}

// nextHeld takes the lowest held frame if it follows the mark or is in
// before, unless the reader's ack is the next to come.
func (c *conn) nextHeld(before []int64) ([]byte, bool) {
	t := &c.tr
	t.mu.Lock()
	defer t.mu.Unlock()
	t.dropWritten()
	if len(t.held) == 0 || t.waitsForAck() {
		return nil, false
	}
	seq := slices.Min(slices.Collect(maps.Keys(t.held)))
	if seq != t.mark+1 && !slices.Contains(before, seq) {
		return nil, false
	}
	frame := t.held[seq]
	delete(t.held, seq)
	t.mark = seq
	return frame, true
}

// readFailed notes a transcript read that did not happen, so that the
// connection tries again after retryDelay.
func (c *conn) readFailed(err error) {
	if !errors.Is(err, context.Canceled) {
		c.ch.log.Warn("web chat catch-up could not read the transcript; will retry",
			"error", err)
	}
	c.tr.mu.Lock()
	c.tr.failed = true
	c.tr.mu.Unlock()
}

// missed returns up to HistoryLimit messages after the mark, the newest
// when there are more. A session whose conversation is not known yet
// looks it up; one that has none has missed nothing.
func (c *conn) missed(ctx context.Context) ([]dialog.Message, error) {
	c.tr.mu.Lock()
	conv, after := c.tr.conv, c.tr.mark
	c.tr.mu.Unlock()

	if conv == "" {
		found, err := c.ch.cfg.History.FindConversation(ctx, Name, c.address)
		if errors.Is(err, dialog.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		conv = found.ID
		c.tr.mu.Lock()
		c.tr.follows(conv)
		c.tr.mu.Unlock()
	}
	return c.ch.cfg.History.MessagesAfter(ctx, conv, after, c.ch.cfg.HistoryLimit)
}

// writeTranscript writes, in order, the messages the client has not had.
// At the reader's own message, whose ack is still to come, it stops and
// holds the rest for after the ack. Only the transcript writer calls it.
// It reports false once the connection is gone.
func (c *conn) writeTranscript(msgs []dialog.Message) bool {
	for i, m := range msgs {
		frame, ok := c.take(m)
		if !ok {
			c.holdRest(msgs[i+1:])
			return true
		}
		if frame != nil && !c.push(frame) {
			return false
		}
	}
	return true
}

// take moves the mark to m and returns the frame to write for it: the
// held one if there is one (the ack of the reader's message is held in
// its place), else one made from m; nil when the client has m. Past a
// read that skipped older messages (more than HistoryLimit), the mark
// jumps over them. take reports false at the reader's own message while
// its ack is still to come.
func (c *conn) take(m dialog.Message) ([]byte, bool) {
	t := &c.tr
	t.mu.Lock()
	defer t.mu.Unlock()
	if m.Seq <= t.mark {
		return nil, true
	}
	frame, held := t.held[m.Seq]
	if !held && t.sending != "" && m.Direction == dialog.In && m.ProviderID == t.sending {
		t.own = m.Seq
		return nil, false
	}
	delete(t.held, m.Seq)
	t.mark = m.Seq
	if !held {
		frame = transcriptFrame(m)
	}
	return frame, true
}

// holdRest holds, for after the reader's ack, the messages read after it.
func (c *conn) holdRest(msgs []dialog.Message) {
	t := &c.tr
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, m := range msgs {
		if _, held := t.held[m.Seq]; !held && m.Seq > t.mark {
			t.hold(m.Seq, transcriptFrame(m))
		}
	}
}
