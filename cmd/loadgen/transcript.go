package main

import "time"

// reply is one message a subscriber received.
type reply struct {
	// ID identifies the message: the web chat's message id, or one
	// loadgen makes for a WeChat or SMS delivery.
	ID string `json:"id"`
	// Seq orders the subscriber's conversation: the web chat's sequence
	// number, or the order of arrival on the other channels.
	Seq  int64     `json:"seq"`
	From string    `json:"from"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
	// Choices are the quick replies offered with it (web chat).
	Choices []choice `json:"-"`
}

// choice is a quick reply button.
type choice struct {
	Label   string
	Payload string
}

// turn is one message a subscriber sent and what came back for it.
type turn struct {
	// Key is the message's own id: the web chat client_id, the WeChat
	// MsgId or the SMS MessageSid.
	Key  string `json:"key"`
	Text string `json:"text"`
	Kind string `json:"kind"`
	// Seq is the message's place in the conversation (the web chat ack's
	// seq, else the order of sending).
	Seq  int64     `json:"seq"`
	Sent time.Time `json:"sent"`
	// Acks counts web chat acks of Key; AckID is the first one's id.
	Acks  int    `json:"acks"`
	AckID string `json:"ack_id,omitempty"`
	// WantAgent says an agent's reply must come in this turn.
	WantAgent bool    `json:"want_agent,omitempty"`
	Replies   []reply `json:"replies"`
}

// firstReply is the delay to the first reply, and whether there was one.
func (t *turn) firstReply() (time.Duration, bool) {
	if len(t.Replies) == 0 {
		return 0, false
	}
	return t.Replies[0].At.Sub(t.Sent), true
}

// hasFrom reports whether a reply came from sender.
func (t *turn) hasFrom(sender string) bool {
	for _, r := range t.Replies {
		if r.From == sender {
			return true
		}
	}
	return false
}

// faultReport is a fault form a subscriber completed.
type faultReport struct {
	// Account is the broadband account given in the form, unique to the
	// report; the tickets API finds the ticket by it (as its phone).
	Account string `json:"account"`
	// Ticket is the number the confirmation told, empty when none.
	Ticket string `json:"ticket"`
}

// transcript is everything one subscriber sent and received.
type transcript struct {
	Channel    string        `json:"channel"`
	Subscriber string        `json:"subscriber"`
	Acked      bool          `json:"-"` // the channel acks messages (web chat)
	Turns      []*turn       `json:"turns"`
	Faults     []faultReport `json:"faults,omitempty"`
}

// last is the latest turn, or nil.
func (tr *transcript) last() *turn {
	if len(tr.Turns) == 0 {
		return nil
	}
	return tr.Turns[len(tr.Turns)-1]
}
