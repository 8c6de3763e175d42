package dialog

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"hotline/handoff"
)

// AgentEvent is something an agent did in a conversation, as the agent
// console reports it.
type AgentEvent struct {
	// ID identifies the action; the same action reported again changes
	// nothing, so a console may retry.
	ID string
	// Channel and Address are the conversation's channel address, as the
	// desk's queue entry has them.
	Channel string
	// Address is personal data and never logged.
	Address string
	// AgentID is who acted; AgentName is shown to the subscriber.
	AgentID string
	// AgentName is the agent's display name.
	AgentName string
	// Text is what the agent wrote, for a reply.
	Text string
}

// ErrNotWithAgent is returned for an agent's reply to a conversation that
// no agent holds.
var ErrNotWithAgent = errors.New("the conversation is not with an agent")

// AgentJoined records that an agent took the conversation: the bot falls
// silent and the subscriber is told who is with them.
func (e *Engine) AgentJoined(ctx context.Context, ev AgentEvent) error {
	if err := checkAgentEvent(ev); err != nil {
		return err
	}
	err := e.fromOutside(ctx, ev.Channel, ev.Address, "agent-join:"+ev.ID, func(t *turn) (*Message, error) {
		if ok, err := fire(t, EventAgentJoin); !ok {
			return nil, fmt.Errorf("agent joins in state %s: %w", t.conv.State, errors.Join(err, ErrNotWithAgent))
		}
		t.visitAgent(ev.AgentID)
		text := t.texts.format(textAgentJoined, t.conv.Lang, "{name}", ev.AgentName)
		return t.reply(FromSystem, text, nil), nil
	})
	if err != nil {
		return fmt.Errorf("agent joined: %w", err)
	}
	e.log.Info("agent joined", "agent", ev.AgentID)
	return nil
}

// AgentSaid puts an agent's reply in the transcript, to reach the
// subscriber on their own channel through the outbox. It returns
// ErrNotWithAgent when no agent holds the conversation.
func (e *Engine) AgentSaid(ctx context.Context, ev AgentEvent) error {
	if err := checkAgentEvent(ev); err != nil {
		return err
	}
	if strings.TrimSpace(ev.Text) == "" {
		return errors.New("agent reply: empty text")
	}
	err := e.fromOutside(ctx, ev.Channel, ev.Address, "agent-msg:"+ev.ID, func(t *turn) (*Message, error) {
		if t.conv.State != StateWithAgent {
			return nil, fmt.Errorf("reply in state %s: %w", t.conv.State, ErrNotWithAgent)
		}
		t.visitAgentReply(ev.AgentID)
		return t.reply(FromAgent, ev.Text, nil), nil
	})
	if err != nil {
		return fmt.Errorf("agent reply: %w", err)
	}
	return nil
}

func checkAgentEvent(ev AgentEvent) error {
	if ev.ID == "" || ev.Channel == "" || ev.Address == "" || ev.AgentID == "" {
		return errors.New("agent event needs an id, a channel address and an agent")
	}
	return nil
}

// AgentClosed records that the agent closed the conversation: the
// subscriber is thanked and asked to rate the service, and the bot takes
// the conversation back.
func (e *Engine) AgentClosed(ctx context.Context, ev AgentEvent) error {
	if err := checkAgentEvent(ev); err != nil {
		return err
	}
	err := e.fromOutside(ctx, ev.Channel, ev.Address, "agent-close:"+ev.ID, func(t *turn) (*Message, error) {
		if ok, err := fire(t, EventAgentLeave); !ok {
			return nil, fmt.Errorf("close in state %s: %w", t.conv.State, errors.Join(err, ErrNotWithAgent))
		}
		subject := servicePrefix + ev.ID
		t.setSlot(slotSurveyTicket, subject)
		t.setSlot(slotRatedAgent, ev.AgentID)
		text := t.texts.format(textAgentClosed, t.conv.Lang, "{name}", ev.AgentName)
		return t.reply(FromSystem, text, ratingButtons(t, subject)), nil
	})
	if err != nil {
		return fmt.Errorf("agent closed: %w", err)
	}
	e.log.Info("agent closed", "agent", ev.AgentID)
	return nil
}

// AgentTransferred records that the agent handed the conversation on: to
// another agent, named in ev.AgentName, or, with toQueue, back to the
// head of the queue for a skill group. The subscriber is told which.
func (e *Engine) AgentTransferred(ctx context.Context, ev AgentEvent, toQueue bool) error {
	if err := checkAgentEvent(ev); err != nil {
		return err
	}
	err := e.fromOutside(ctx, ev.Channel, ev.Address, "agent-transfer:"+ev.ID, func(t *turn) (*Message, error) {
		if t.conv.State != StateWithAgent {
			return nil, fmt.Errorf("transfer in state %s: %w", t.conv.State, ErrNotWithAgent)
		}
		if toQueue {
			_, _ = fire(t, EventRequeue)
			t.setSlot(slotQueueUpdate, "")
			return t.reply(FromSystem, t.texts.get(textAgentTransferGroup, t.conv.Lang), nil), nil
		}
		text := t.texts.format(textAgentTransferred, t.conv.Lang, "{name}", ev.AgentName)
		return t.reply(FromSystem, text, nil), nil
	})
	if err != nil {
		return fmt.Errorf("agent transferred: %w", err)
	}
	e.log.Info("agent transferred", "agent", ev.AgentID, "to_queue", toQueue)
	return nil
}

// AgentLost records that the agent holding the conversation did not come
// back within the grace period: the conversation is back at the head of
// the queue, and the subscriber is told so. id makes it idempotent.
func (e *Engine) AgentLost(ctx context.Context, id string, entry handoff.Entry) error {
	err := e.fromOutside(ctx, string(entry.Channel), entry.Address, "agent-lost:"+id, func(t *turn) (*Message, error) {
		if ok, _ := fire(t, EventRequeue); !ok {
			return nil, nil // no longer with an agent: nothing to say
		}
		t.setSlot(slotQueueUpdate, "")
		return t.reply(FromSystem, t.texts.get(textAgentLost, t.conv.Lang), nil), nil
	})
	if err != nil {
		return fmt.Errorf("agent lost: %w", err)
	}
	return nil
}

// withAgent handles a subscriber's message while an agent holds the
// conversation: the bot keeps quiet, as the agent reads the transcript.
// When the desk no longer has the conversation (a gateway restart lost a
// desk kept in memory) the subscriber is told and the bot takes over, so
// nobody is left talking to no one.
func (e *Engine) withAgent(t *turn) {
	if e.agents == nil {
		_, _ = fire(t, EventAgentGone)
		e.answer(t)
		return
	}
	_, err := e.agents.Estimate(t.ctx, t.conv.ID)
	switch {
	case err == nil, errors.Is(err, handoff.ErrTaken):
		// Held, or back in the queue on its way to another agent.
	case errors.Is(err, handoff.ErrNotFound):
		_, _ = fire(t, EventAgentGone)
		e.offerAgent(t, textAgentGone, handoff.ReasonAsked)
	default:
		e.log.Error("agent desk failed", "conversation", t.conv.ID, "action", "estimate", "err", err)
	}
}
