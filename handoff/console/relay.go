package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"hotline/handoff"
)

// Relay carries the console's frames between gateway instances that share
// one desk: an agent's sockets may be on another instance than the
// subscriber, the desk loop or the supervisor acting. Every instance
// publishes what it sends and writes what others publish to its own
// sockets. Delivery is at most once; a console that missed a frame gets
// the whole state again when it reconnects.
type Relay interface {
	// Publish hands a payload to the other instances.
	Publish(ctx context.Context, payload []byte) error
}

// Kinds of relayed frames.
const (
	toAgentKind        = "agent"        // to one agent's sockets
	toConversationKind = "conversation" // to those who follow a conversation
	queueKind          = "queue"        // the queue changed: send each socket its view
	agentsKind         = "agents"       // the roster changed
	signOutKind        = "signout"      // a session ended: bye to its sockets
)

// relayed is one frame on its way to other instances.
type relayed struct {
	Origin string          `json:"origin"`
	Kind   string          `json:"kind"`
	To     string          `json:"to,omitempty"`
	Holder string          `json:"holder,omitempty"`
	Frame  json.RawMessage `json:"frame,omitempty"`
}

// relayTimeout bounds one publication.
const relayTimeout = 2 * time.Second

// newOrigin names this instance in what it publishes, so it ignores its
// own publications.
func newOrigin() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// publish hands r to the other instances, when there are any.
func (s *Server) publish(r relayed) {
	if s.cfg.Relay == nil {
		return
	}
	r.Origin = s.origin
	b, err := json.Marshal(r)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), relayTimeout)
		err = s.cfg.Relay.Publish(ctx, b)
		cancel()
	}
	if err != nil {
		s.log.Warn("console: frame not relayed to other instances", "kind", r.Kind, "err", err)
	}
}

// Deliver writes what another instance relayed to this instance's
// sockets. It is the relay's handler.
func (s *Server) Deliver(payload []byte) {
	var r relayed
	if err := json.Unmarshal(payload, &r); err != nil || r.Origin == s.origin {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), relayTimeout)
	defer cancel()
	switch r.Kind {
	case toAgentKind:
		sendRaw(s.hub.ofAgent(r.To), r.Frame)
	case toConversationKind:
		sendRaw(s.hub.following(r.To, r.Holder), r.Frame)
	case queueKind:
		s.sendQueue(ctx, s.hub.all())
	case agentsKind:
		s.sendAgents(ctx, s.hub.all())
	case signOutKind:
		for _, c := range s.hub.all() {
			if tokenDigest(c.token) == r.To {
				c.bye("signed_out")
			}
		}
	}
}

// sendRaw sends an encoded frame to each socket.
func sendRaw(cs []*conn, b []byte) {
	for _, c := range cs {
		c.send(b)
	}
}

// toAgent sends a frame to an agent's sockets, here and elsewhere.
func (s *Server) toAgent(agentID string, frame any) {
	b := encode(frame)
	sendRaw(s.hub.ofAgent(agentID), b)
	s.publish(relayed{Kind: toAgentKind, To: agentID, Frame: b})
}

// toConversation sends a frame to those who follow a conversation, here
// and elsewhere: the agent holding it on the desk and the supervisors who
// opened it; also, when set, to one more socket (the sender's own).
func (s *Server) toConversation(ctx context.Context, conversationID string, frame any, also *conn) {
	s.toFollowers(conversationID, s.holder(ctx, conversationID), frame, also)
}

// toFollowers is toConversation with the holder already looked up.
func (s *Server) toFollowers(conversationID, holder string, frame any, also *conn) {
	cs := s.hub.following(conversationID, holder)
	if also != nil && !containsConn(cs, also) {
		cs = append(cs, also)
	}
	b := encode(frame)
	sendRaw(cs, b)
	s.publish(relayed{Kind: toConversationKind, To: conversationID, Holder: holder, Frame: b})
}

// holder is the agent the desk says holds a conversation, if any.
func (s *Server) holder(ctx context.Context, conversationID string) string {
	e, err := s.cfg.Desk.Entry(ctx, conversationID)
	if err != nil || e.Status != handoff.StatusAssigned {
		return ""
	}
	return e.AgentID
}

// queueChanged shows every console, here and elsewhere, the queue it may
// see.
func (s *Server) queueChanged(ctx context.Context) {
	s.sendQueue(ctx, s.hub.all())
	s.publish(relayed{Kind: queueKind})
}

// agentsChanged shows every console, here and elsewhere, the roster.
func (s *Server) agentsChanged(ctx context.Context) {
	s.sendAgents(ctx, s.hub.all())
	s.publish(relayed{Kind: agentsKind})
}

// tokenDigest names a session in what is relayed without the token.
func tokenDigest(t handoff.Token) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:16])
}
