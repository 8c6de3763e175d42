package dialog

import (
	"context"
	"errors"
	"fmt"

	"hotline/handoff"
)

// Transcript returns a conversation and its latest messages, at most
// limit of them, oldest first: what an agent reads on taking it.
func (e *Engine) Transcript(ctx context.Context, conversationID string, limit int) (Conversation, []Message, error) {
	conv, err := e.store.Conversation(ctx, conversationID)
	if err != nil {
		return Conversation{}, nil, fmt.Errorf("transcript %s: %w", conversationID, err)
	}
	msgs, err := e.store.MessagesAfter(ctx, conversationID, 0, limit)
	if err != nil {
		return Conversation{}, nil, fmt.Errorf("transcript %s: %w", conversationID, err)
	}
	return conv, msgs, nil
}

// leftDesk takes an idle waiting conversation out of the agent queue
// before it is closed. It reports false when an agent holds it now, and
// the conversation must stay open.
func (e *Engine) leftDesk(ctx context.Context, conv Conversation) bool {
	if e.agents == nil {
		return true
	}
	_, err := e.agents.Leave(ctx, conv.ID)
	switch {
	case errors.Is(err, handoff.ErrTaken):
		return false
	case err != nil && !errors.Is(err, handoff.ErrNotFound):
		e.log.Error("agent desk failed", "conversation", conv.ID, "action", "leave", "err", err)
	}
	return true
}
