package dialog

import (
	"strconv"
	"time"
)

// A subscriber who writes faster than anyone reads, or a script posing as
// one, gets no answer to every message: past the engine's answers per
// minute, a conversation's messages are kept in the transcript (and so
// acknowledged to the channel, which must not resend them) but the bot
// does not answer them; the first one past the limit is told, politely,
// once per minute. The count is in the conversation's record, so it holds
// across instances and restarts. While an agent has the conversation, or
// it waits for one, nothing is limited here: the messages are the agent's
// to read.

// floodWindow is the span the answers are counted in.
const floodWindow = time.Minute

// Slots that count a conversation's messages in the current window.
const (
	slotFloodStart = "flood.start" // the window's start, Unix milliseconds
	slotFloodCount = "flood.count" // messages in it so far
)

// flooded counts the turn's message and reports whether it is past the
// limit and must go unanswered; the first such message gets the notice.
func (t *turn) flooded(limit int) bool {
	if limit <= 0 || t.conv.State == StateWithAgent || t.conv.State == StateWaitingAgent {
		return false
	}
	start, _ := strconv.ParseInt(t.conv.Slots[slotFloodStart], 10, 64)
	count, _ := strconv.Atoi(t.conv.Slots[slotFloodCount])
	if start == 0 || t.now.Sub(time.UnixMilli(start)) >= floodWindow || t.now.UnixMilli() < start {
		start, count = t.now.UnixMilli(), 0
	}
	count++
	t.setSlot(slotFloodStart, strconv.FormatInt(start, 10))
	t.setSlot(slotFloodCount, strconv.Itoa(count))

	if count <= limit {
		return false
	}
	if count == limit+1 {
		t.say(FromBot, textRateLimited)
	}
	return true
}
