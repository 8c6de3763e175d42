package dialog

import (
	"context"
	"fmt"

	"hotline/handoff"
)

// slotQueueUpdate marks a conversation that has had its one queue update
// on a channel where updates are not streamed.
const slotQueueUpdate = "queue.updated"

// liveChannel is the channel where the subscriber sees the queue move:
// every change of place is told. On the others (WeChat, SMS) a stream of
// messages would be a nuisance and may cost the subscriber, so one update
// is told at most.
const liveChannel = "webchat"

// QueueMoved tells a waiting subscriber their new place in the queue. On
// the web chat every new place is told once; on other channels only the
// first update after joining is. It does nothing for a conversation that
// no longer waits.
func (e *Engine) QueueMoved(ctx context.Context, entry handoff.Entry, est handoff.Estimate) error {
	key := fmt.Sprintf("queue-moved:%d:%d", entry.WaitingSince.UnixMilli(), est.Position)
	err := e.fromOutside(ctx, string(entry.Channel), entry.Address, key, func(t *turn) (*Message, error) {
		if t.conv.State != StateWaitingAgent {
			return nil, nil
		}
		if t.conv.Channel != liveChannel {
			if t.conv.Slots[slotQueueUpdate] != "" {
				return nil, nil
			}
			t.setSlot(slotQueueUpdate, "1")
		}
		return t.reply(FromSystem, placeText(t, textQueueMoved, est), nil), nil
	})
	if err != nil {
		return fmt.Errorf("queue moved: %w", err)
	}
	return nil
}
