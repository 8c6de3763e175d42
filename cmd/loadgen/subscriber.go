package main

import (
	"context"
	"strings"
	"time"
)

// Channel names, as in the mix and the report.
const (
	chanWebchat = "webchat"
	chanWeChat  = "wechat"
	chanSMS     = "sms"
)

// event is something a subscriber's channel delivered: a reply, or the
// web chat's ack of one of its messages.
type event struct {
	ack   bool
	key   string // the acked message's client_id
	seq   int64  // the ack's seq
	id    string // the ack's message id
	reply reply
}

// link is a subscriber's side of one channel.
type link interface {
	// send delivers one message and returns its key and, on channels
	// without acks, its place in the conversation.
	send(ctx context.Context, m outMsg) (key string, seq int64, err error)
	// events are the replies (and acks) as they arrive.
	events() <-chan event
	close()
}

// timing bounds how long a subscriber waits.
type timing struct {
	timeout      time.Duration // for a first answer
	agentTimeout time.Duration // for an agent's reply and the rating question
	settle       time.Duration // quiet time after the answer before the next message
	// think is the least time between a subscriber's messages: people
	// read the answer first, and the gateway leaves a conversation
	// writing faster than dialog.answers_per_minute unanswered.
	think time.Duration
}

// subscriber is one simulated person on one channel.
type subscriber struct {
	link   link
	script *script
	tr     *transcript
	timing timing
	errs   *errorCounts
	stuck  bool      // stopped after an unanswered message
	last   time.Time // when the last message was sent
}

// step sends the next message and waits for its answer. It returns
// false once the subscriber is stuck and sends no more.
func (s *subscriber) step(ctx context.Context) bool {
	if s.stuck {
		return false
	}
	if !s.thinkWait(ctx) {
		return false
	}
	s.drain()
	m := s.script.next(s.tr.last())
	t := &turn{Text: m.Text, Kind: m.Kind, WantAgent: m.WantAgent, Sent: time.Now(), Seq: -1}
	s.last = t.Sent
	key, seq, err := s.link.send(ctx, m)
	if err != nil {
		if ctx.Err() == nil {
			s.errs.add(s.tr.Channel, "send: "+errKind(err))
		}
		return ctx.Err() == nil
	}
	t.Key = key
	if !s.tr.Acked {
		t.Seq = seq
	}
	s.tr.Turns = append(s.tr.Turns, t)
	if !s.await(ctx, t) {
		s.stuck = true
		return false
	}
	s.quiet(ctx, t)
	return true
}

// thinkWait waits out the think time since the last message; false when
// ctx ends first.
func (s *subscriber) thinkWait(ctx context.Context) bool {
	d := time.Until(s.last.Add(s.timing.think))
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// answered reports whether t has what it waits for.
func (s *subscriber) answered(t *turn) bool {
	if len(t.Replies) == 0 || (s.tr.Acked && t.Acks == 0) {
		return false
	}
	if !t.WantAgent {
		return true
	}
	return t.hasFrom("agent") && strings.Contains(joinReplies(t), "打分")
}

// await collects events until t is answered; false after the timeout.
func (s *subscriber) await(ctx context.Context, t *turn) bool {
	limit := s.timing.timeout
	if t.WantAgent {
		limit = s.timing.agentTimeout
	}
	timer := time.NewTimer(limit)
	defer timer.Stop()
	for !s.answered(t) {
		select {
		case ev, ok := <-s.link.events():
			if !ok {
				return false
			}
			s.apply(ev)
		case <-timer.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
	return true
}

// quiet keeps collecting until nothing arrives for the settle time, so
// a second part of the answer is counted with it.
func (s *subscriber) quiet(ctx context.Context, t *turn) {
	timer := time.NewTimer(s.timing.settle)
	defer timer.Stop()
	for {
		select {
		case ev, ok := <-s.link.events():
			if !ok {
				return
			}
			s.apply(ev)
			timer.Reset(s.timing.settle)
		case <-timer.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// drain takes what arrived since the last turn ended.
func (s *subscriber) drain() {
	for {
		select {
		case ev, ok := <-s.link.events():
			if !ok {
				return
			}
			s.apply(ev)
		default:
			return
		}
	}
}

// finish waits grace for late replies, then closes the link.
func (s *subscriber) finish(grace time.Duration) {
	deadline := time.After(grace)
	for {
		select {
		case ev, ok := <-s.link.events():
			if !ok {
				s.link.close()
				return
			}
			s.apply(ev)
		case <-deadline:
			s.drain()
			s.link.close()
			return
		}
	}
}

// apply files an event with the turn it belongs to: an ack with its
// message, a reply with the latest message.
func (s *subscriber) apply(ev event) {
	if ev.ack {
		for i := len(s.tr.Turns) - 1; i >= 0; i-- {
			if t := s.tr.Turns[i]; t.Key == ev.key {
				if t.Acks == 0 {
					t.Seq, t.AckID = ev.seq, ev.id
				}
				t.Acks++
				return
			}
		}
		s.errs.add(s.tr.Channel, "ack of an unknown message")
		return
	}
	t := s.tr.last()
	if t == nil {
		s.errs.add(s.tr.Channel, "reply before any message")
		return
	}
	t.Replies = append(t.Replies, ev.reply)
}
