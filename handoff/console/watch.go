package console

import (
	"context"

	"hotline/dialog"
)

var _ dialog.Watcher = (*Server)(nil)

// Committed shows a conversation's new messages live to the agent who
// holds it and the supervisors who opened it. It never blocks: a socket
// that cannot keep up is closed and sent everything again when it
// reconnects.
func (s *Server) Committed(conv dialog.Conversation, msgs []dialog.Message) {
	if conv.State != dialog.StateWaitingAgent && conv.State != dialog.StateWithAgent {
		return // not on the desk: no agent or supervisor follows it
	}
	ctx, cancel := context.WithTimeout(context.Background(), relayTimeout)
	defer cancel()
	holder := s.holder(ctx, conv.ID) // once for the commit's messages
	for _, m := range msgs {
		s.toFollowers(conv.ID, holder, map[string]any{"type": "message", "conversation": conv.ID,
			"message": newMessageFrame(m)}, nil)
	}
}

// DeliveryFailed tells the agent holding a conversation (and supervisors
// following it) that a message did not reach the subscriber, and why: a
// WeChat window that closed, an SMS the provider refused. It never
// blocks.
func (s *Server) DeliveryFailed(conv dialog.Conversation, m dialog.Message, reason string) {
	ctx, cancel := context.WithTimeout(context.Background(), relayTimeout)
	defer cancel()
	s.toConversation(ctx, conv.ID, map[string]string{"type": "delivery", "conversation": conv.ID,
		"message": m.ID, "status": "failed", "reason": reason}, nil)
}
