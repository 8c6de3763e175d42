package dialog

import (
	"context"
	"errors"

	"hotline/dialog/textnorm"
)

// PhoneBinder ties a subscriber's phone number to their conversation on
// another channel by a one-time code sent to the number by SMS. Once bound,
// the conversation's tickets, status questions and notices are the
// number's, whichever channel they come in on.
type PhoneBinder interface {
	// SendCode sends a new code to the number the subscriber typed, for
	// their conversation, and returns the number masked for telling them.
	// It returns ErrBadPhone, ErrBindLimited or another error.
	SendCode(ctx context.Context, conv Conversation, number string) (string, error)
	// CheckCode checks a code the subscriber typed. On success it records
	// the binding, the conversation's earlier tickets included, and returns
	// the subscriber id and the masked number. It returns ErrBindCode for
	// a wrong or expired code and ErrBindLimited after too many tries.
	CheckCode(ctx context.Context, conv Conversation, code string) (string, string, error)
}

// Binding outcomes a PhoneBinder reports.
var (
	// ErrBadPhone is a number that cannot be bound (not a valid number).
	ErrBadPhone = errors.New("not a usable phone number")
	// ErrBindLimited is too many codes for the number or conversation, or
	// too many wrong tries.
	ErrBindLimited = errors.New("too many codes or tries")
	// ErrBindCode is a wrong or expired code.
	ErrBindCode = errors.New("wrong or expired code")
)

// slotBind is where a binding stands: waiting for the number, or for the
// code.
const (
	slotBind      = "bind"
	bindWantPhone = "phone"
	bindWantCode  = "code"
)

// bindPhrases are the whole messages that ask to bind a phone number.
var bindPhrases = normalizedSet("绑定手机", "绑定手机号", "绑定手机号码", "绑定号码", "绑定电话", "手机绑定",
	"bind phone", "bind my phone", "bind number", "link my phone", "link phone")

// leavePhrases end a binding half-way.
var leavePhrases = normalizedSet("取消", "算了", "不绑了", "cancel", "stop")

func normalizedSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[textnorm.Normalize(w)] = true
	}
	return m
}

// bind moves a phone binding on, or starts one the message asks for, and
// reports whether the turn was about binding.
func (e *Engine) bind(t *turn) bool {
	if e.phones == nil {
		return false
	}
	stage := t.conv.Slots[slotBind]
	norm := textnorm.Normalize(t.in.Text)
	switch {
	case stage == "" && bindPhrases[norm]:
		t.setSlot(slotBind, bindWantPhone)
		t.say(FromBot, textBindAskPhone)
		return true
	case stage == "":
		return false
	case t.in.Event != nil || t.in.Payload != "":
		// A menu click or a button starts something else.
		t.setSlot(slotBind, "")
		return false
	case leavePhrases[norm]:
		t.setSlot(slotBind, "")
		t.say(FromBot, textBindCancelled)
		return true
	case stage == bindWantPhone:
		e.bindNumber(t)
	default:
		e.bindCode(t)
	}
	return true
}

// bindNumber sends a code to the number the subscriber typed.
func (e *Engine) bindNumber(t *turn) {
	masked, err := e.phones.SendCode(t.ctx, t.conv, t.in.Text)
	switch {
	case err == nil:
		t.setSlot(slotBind, bindWantCode)
		t.reply(FromBot, t.texts.format(textBindCodeSent, t.conv.Lang, "{phone}", masked), nil)
	case errors.Is(err, ErrBadPhone):
		t.say(FromBot, textBindBadPhone)
	default:
		e.bindFailed(t, err)
	}
}

// bindCode checks the code the subscriber typed; the code itself is kept
// out of the transcript.
func (e *Engine) bindCode(t *turn) {
	code := t.in.Text
	t.maskInbound(codeMask)
	sub, masked, err := e.phones.CheckCode(t.ctx, t.conv, code)
	switch {
	case err == nil:
		t.conv.SubscriberID = sub
		t.setSlot(slotBind, "")
		t.reply(FromBot, t.texts.format(textBindDone, t.conv.Lang, "{phone}", masked), nil)
	case errors.Is(err, ErrBindCode):
		t.say(FromBot, textBindWrongCode)
	default:
		e.bindFailed(t, err)
	}
}

// codeMask replaces a one-time code in the transcript.
const codeMask = "******"

// bindFailed ends a binding the binder refused or could not do.
func (e *Engine) bindFailed(t *turn, err error) {
	t.setSlot(slotBind, "")
	if errors.Is(err, ErrBindLimited) {
		t.say(FromBot, textBindLimited)
		return
	}
	e.log.Error("phone binding failed", "conversation", t.conv.ID, "err", err)
	t.say(FromBot, textBindUnavailable)
}
