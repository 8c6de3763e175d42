package webchat

import (
	"context"
	"encoding/json"

	"hotline/channels"
)

// Relay carries messages between gateway instances: a message for a
// session whose socket another instance holds is published, and the
// instance that holds it writes it to the socket. It is a wake-up, not
// the record: the transcript keeps every message. A message the relay
// misses is read from the transcript when the socket gets a later one
// past the gap, when the relay's subscription comes back (CatchUp), or
// at the latest when the page resumes; the page drops a message it has
// already shown (by id).
type Relay interface {
	// Publish hands a message to the other instances.
	Publish(ctx context.Context, payload []byte) error
}

// relayed is a message on its way to another instance's socket. Its
// conversation and seq let the receiver order it without reading the
// frame; an envelope without them (from an older instance) is written
// as it comes.
type relayed struct {
	Address      string          `json:"address"`
	Conversation string          `json:"conversation,omitempty"`
	Seq          int64           `json:"seq,omitempty"`
	Frame        json.RawMessage `json:"frame"`
}

// relay publishes a message no socket here can take. The message stays
// held in the transcript whatever happens to the publication.
func (c *Channel) relay(ctx context.Context, m channels.Outbound, frame []byte) {
	payload, err := json.Marshal(relayed{Address: m.Address, Conversation: m.ConversationID,
		Seq: m.Seq, Frame: frame})
	if err == nil {
		err = c.cfg.Relay.Publish(ctx, payload)
	}
	if err != nil {
		c.log.Warn("web chat message not relayed to other instances; it waits for the resume",
			"message", m.ID, "error", err)
	}
}

// Deliver writes a message another instance relayed to this instance's
// sockets of its session, if there are any. It is the relay's handler and
// never waits: a socket that finds a gap before the message holds it and
// reads the missing ones on a goroutine of its own.
func (c *Channel) Deliver(payload []byte) {
	var r relayed
	if err := json.Unmarshal(payload, &r); err != nil || r.Address == "" || len(r.Frame) == 0 {
		return
	}
	for _, cn := range c.hub.sessionConns(r.Address) {
		cn.offer(r.Conversation, r.Seq, r.Frame)
	}
}
