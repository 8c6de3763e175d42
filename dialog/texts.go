package dialog

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// textKey names one of the bot's own texts in the messages file.
type textKey string

// The bot's own texts. Each must be in the messages file in Chinese; the
// English version is used for conversations in English when present.
const (
	textUnsure               textKey = "unsure"
	textUnknown              textKey = "unknown"
	textUnknownAgain         textKey = "unknown_again"
	textUnknownAgainAgent    textKey = "unknown_again_agent"
	textAgentUnavailable     textKey = "agent_unavailable"
	textAgentInForm          textKey = "agent_unavailable_in_form"
	textNoAgentNow           textKey = "no_agent_now"
	textAgentsClosed         textKey = "agents_closed"
	textAgentsClosedUntil    textKey = "agents_closed_until"
	textQueueJoined          textKey = "queue_joined"
	textQueueWait            textKey = "queue_wait"
	textQueueSoon            textKey = "queue_soon"
	textAgentJoined          textKey = "agent_joined"
	textAgentClosed          textKey = "agent_closed"
	textQueueExpired         textKey = "queue_expired"
	textQueueStillWaiting    textKey = "queue_still_waiting"
	textQueueLeft            textKey = "queue_left"
	textQueueTaken           textKey = "queue_taken"
	textQueueLost            textKey = "queue_lost"
	textQuickReplyLeaveQueue textKey = "quick_reply_leave_queue"
	textAgentTransferred     textKey = "agent_transferred"
	textAgentTransferGroup   textKey = "agent_transfer_group"
	textAgentLost            textKey = "agent_lost"
	textQueueMoved           textKey = "queue_moved"
	textAgentGone            textKey = "agent_gone"
	textFaultPending         textKey = "fault_pending"
	textComplaintPending     textKey = "complaint_pending"
	textStatusPending        textKey = "status_pending"
	textBindAskPhone         textKey = "bind_ask_phone"
	textBindCodeSent         textKey = "bind_code_sent"
	textBindBadPhone         textKey = "bind_bad_phone"
	textBindWrongCode        textKey = "bind_wrong_code"
	textBindDone             textKey = "bind_done"
	textBindLimited          textKey = "bind_limited"
	textBindUnavailable      textKey = "bind_unavailable"
	textBindCancelled        textKey = "bind_cancelled"
	textNothingToCancel      textKey = "nothing_to_cancel"
	textCancelled            textKey = "cancelled"
	textExpired              textKey = "expired"
	textGreeting             textKey = "greeting"
	textThanks               textKey = "thanks"
	textIdentity             textKey = "identity"
	textUnsupported          textKey = "unsupported"
	textRateLimited          textKey = "rate_limited"
	textTooLong              textKey = "too_long"
	textEmpty                textKey = "empty"
	textUnavailable          textKey = "unavailable"
	textQuickReplyUnknown    textKey = "quick_reply_unknown"

	textTicketNotFound      textKey = "ticket_not_found"
	textNoOpenTickets       textKey = "no_open_tickets"
	textOpenTickets         textKey = "open_tickets"
	textTicketLine          textKey = "ticket_line"
	textTicketOutage        textKey = "ticket_outage"
	textTicketsUnavailable  textKey = "tickets_unavailable"
	textNoticeInProgress    textKey = "notice_in_progress"
	textNoticeResolved      textKey = "notice_resolved"
	textNoticeCancelled     textKey = "notice_cancelled"
	textNoticeReopened      textKey = "notice_reopened"
	textNoticeOutageUpdated textKey = "notice_outage_updated"
	textNoticeOutageClosed  textKey = "notice_outage_closed"
	textRatingThanks        textKey = "rating_thanks"
	textRatingNotAccepted   textKey = "rating_not_accepted"
	textFormIntro           textKey = "form_intro"
	textCallbackIntro       textKey = "callback_intro"
	textCallbackOpened      textKey = "callback_opened"
	textQuickReplyCallback  textKey = "quick_reply_callback"
	textComplaintIntro      textKey = "complaint_intro"
	textFormResume          textKey = "form_resume"
	textFormCorrected       textKey = "form_corrected"
	textFormConfirm         textKey = "form_confirm"
	textFormConfirmAgain    textKey = "form_confirm_again"
	textFormWhichToChange   textKey = "form_which_to_change"
	textFormTooManyFailures textKey = "form_too_many_failures"
	textFormLost            textKey = "form_lost"
	textTicketOpened        textKey = "ticket_opened"
	textTicketOpenedOutage  textKey = "ticket_opened_outage"
	textComplaintOpened     textKey = "complaint_opened"
	textQuickReplyConfirm   textKey = "quick_reply_confirm"
	textQuickReplyAmend     textKey = "quick_reply_amend"
	textQuickReplyCancel    textKey = "quick_reply_cancel"
	textQuickReplyAgent     textKey = "quick_reply_agent"
	textQuickReplyFault     textKey = "quick_reply_fault"
	textQuickReplyTickets   textKey = "quick_reply_tickets"
)

// ticketTexts are the names of ticket kinds and statuses, and the rating
// buttons; every one must be in the messages file.
var ticketTexts = []textKey{
	"ticket_kind_fault", "ticket_kind_complaint", "ticket_kind_request",
	"ticket_status_new", "ticket_status_assigned", "ticket_status_in_progress",
	"ticket_status_resolved", "ticket_status_closed", "ticket_status_cancelled",
	"ticket_status_reopened",
	"rating_1", "rating_2", "rating_3", "rating_4", "rating_5",
}

var requiredTexts = []textKey{
	textUnsure, textUnknown, textUnknownAgain, textAgentUnavailable, textAgentInForm, textFaultPending,
	textComplaintPending, textStatusPending, textNothingToCancel, textCancelled,
	textExpired, textGreeting, textThanks, textIdentity, textUnsupported,
	textRateLimited, textTooLong, textEmpty, textUnavailable,
	textQuickReplyUnknown,
	textTicketNotFound, textNoOpenTickets, textOpenTickets, textTicketLine,
	textTicketOutage, textTicketsUnavailable, textNoticeInProgress, textNoticeResolved,
	textNoticeCancelled, textNoticeReopened, textNoticeOutageUpdated,
	textNoticeOutageClosed, textRatingThanks, textRatingNotAccepted,
	textFormIntro, textComplaintIntro, textFormResume, textFormCorrected, textFormConfirm,
	textFormConfirmAgain, textFormWhichToChange, textFormTooManyFailures, textFormLost,
	textTicketOpened, textTicketOpenedOutage, textComplaintOpened,
	textCallbackIntro, textCallbackOpened, textQuickReplyCallback,
	textNoAgentNow, textAgentsClosed, textAgentsClosedUntil, textQueueJoined, textQueueWait, textQueueSoon, textAgentJoined, textAgentClosed, textQueueExpired,
	textQueueStillWaiting, textQueueLeft, textQueueTaken, textQueueLost, textQuickReplyLeaveQueue,
	textUnknownAgainAgent, textAgentTransferred, textAgentTransferGroup, textAgentLost, textQueueMoved, textAgentGone,
	textQuickReplyConfirm, textQuickReplyAmend, textQuickReplyCancel, textQuickReplyAgent,
	textQuickReplyFault, textQuickReplyTickets,
	textBindAskPhone, textBindCodeSent, textBindBadPhone, textBindWrongCode, textBindDone,
	textBindLimited, textBindUnavailable, textBindCancelled,
}

// Texts are the bot's own messages in each language, loaded from the
// messages file so the operator can edit them without a release.
type Texts struct {
	byKey map[textKey]map[string]string
}

// LoadTexts reads and checks a messages file. It returns an error naming
// the first missing or empty text.
func LoadTexts(path string) (*Texts, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read messages: %w", err)
	}
	t, err := ParseTexts(data)
	if err != nil {
		return nil, fmt.Errorf("messages %s: %w", path, err)
	}
	return t, nil
}

// ParseTexts parses a messages file: a map from text key to a map from
// language ("zh", "en") to text. Every text needs at least Chinese.
func ParseTexts(data []byte) (*Texts, error) {
	var raw map[string]map[string]string
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}

	t := &Texts{byKey: make(map[textKey]map[string]string, len(raw))}
	for k, v := range raw {
		t.byKey[textKey(k)] = v
	}

	var errs []error
	for _, k := range append(requiredTexts, ticketTexts...) {
		if strings.TrimSpace(t.byKey[k]["zh"]) == "" {
			errs = append(errs, fmt.Errorf("%s: the Chinese text (zh) is missing", k))
		}
	}
	return t, errors.Join(errs...)
}

// get returns the text in lang, falling back to Chinese.
func (t *Texts) get(k textKey, lang string) string {
	if s := t.byKey[k][lang]; s != "" {
		return s
	}
	return t.byKey[k]["zh"]
}

// Text returns a text by its key in lang, falling back to Chinese; channels
// use it for their own polite errors such as "rate_limited".
func (t *Texts) Text(key, lang string) string { return t.get(textKey(key), lang) }

// format returns a text with each {name} replaced by its value in args.
func (t *Texts) format(k textKey, lang string, args ...string) string {
	return strings.NewReplacer(args...).Replace(t.get(k, lang))
}
