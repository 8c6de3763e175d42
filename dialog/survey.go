package dialog

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"hotline/channels"
	"hotline/dialog/textnorm"
	"hotline/tickets"
)

// Keys of the conversation's slots used by the satisfaction survey.
const (
	slotSurveyTicket = "survey.ticket"
	payloadRate      = "rate:" // rate:<ticket id>:<1-5>
)

// askRating offers the 1-5 rating buttons for a resolved ticket and, when
// the conversation is free, waits for the answer in the survey state.
func (e *Engine) askRating(t *turn, ticketID string) []channels.QuickReply {
	if ok, _ := fire(t, EventSurvey); ok {
		t.setSlot(slotSurveyTicket, ticketID)
	}
	return ratingButtons(t, ticketID)
}

// ratingButtons are the 1-5 buttons rating subject: a ticket id, or
// servicePrefix and the id of an agent's close.
func ratingButtons(t *turn, subject string) []channels.QuickReply {
	quick := make([]channels.QuickReply, 0, 5)
	for n := 5; n >= 1; n-- {
		quick = append(quick, channels.QuickReply{
			Label:   t.texts.get(textKey(fmt.Sprintf("rating_%d", n)), t.conv.Lang),
			Payload: fmt.Sprintf("%s%s:%d", payloadRate, subject, n),
		})
	}
	return quick
}

// servicePrefix marks the rating of an agent's service rather than of a
// ticket. Such a rating is kept in the transcript: the subscriber's
// message carries it as its payload (rate:service:<close id>:<1-5>), and
// reports read it from there.
const servicePrefix = "service:"

// rating reads a rating from a quick reply anywhere, or from a short
// answer such as "5" or "5分" while the survey waits.
func rating(t *turn) (ticketID string, n int, ok bool) {
	if rest, found := strings.CutPrefix(t.in.Payload, payloadRate); found {
		i := strings.LastIndexByte(rest, ':')
		if i < 0 || len(rest)-i != 2 {
			return "", 0, false
		}
		n := int(rest[i+1] - '0')
		return rest[:i], n, n >= 1 && n <= 5
	}
	if t.conv.State != StateSurvey {
		return "", 0, false
	}
	text := strings.TrimSpace(strings.Map(textnorm.Fold, t.in.Text))
	if text == "" || utf8.RuneCountInString(text) > 4 || text[0] < '1' || text[0] > '5' {
		return "", 0, false
	}
	return t.conv.Slots[slotSurveyTicket], int(text[0] - '0'), true
}

// rate stores a rating and thanks the subscriber.
func (e *Engine) rate(t *turn, ticketID string, n int) {
	if t.conv.State == StateSurvey {
		_, _ = fire(t, EventRate)
	}
	t.setSlot(slotSurveyTicket, "")
	if strings.HasPrefix(ticketID, servicePrefix) {
		t.recordPayload(fmt.Sprintf("%s%s:%d", payloadRate, ticketID, n))
		t.visitRating(n)
		t.say(FromBot, textRatingThanks)
		return
	}
	if e.desk == nil {
		t.say(FromBot, textRatingThanks)
		return
	}
	_, err := e.desk.Rate(t.ctx, owner(t.conv), ticketID, n)
	switch {
	case errors.Is(err, tickets.ErrNotFound), errors.Is(err, tickets.ErrInvalid):
		t.say(FromBot, textRatingNotAccepted)
	case err != nil:
		e.deskFailed(t, "rate ticket", err)
	default:
		t.say(FromBot, textRatingThanks)
	}
}

// leaveSurvey lets a subscriber who writes something else go on without
// rating.
func (e *Engine) leaveSurvey(t *turn) {
	_, _ = fire(t, EventRate)
	t.setSlot(slotSurveyTicket, "")
}

// resumeAfterRating asks the pending question again when the subscriber
// rated an earlier ticket in the middle of a new form.
func (e *Engine) resumeAfterRating(t *turn) {
	if t.conv.State != StateCollecting && t.conv.State != StateConfirming {
		return
	}
	if f, p, ok := e.activeForm(t); ok {
		e.resume(t, f, &p)
	}
}
