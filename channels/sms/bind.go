package sms

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"hotline/channels"
)

// BindStore keeps which number each bound subscriber has.
type BindStore interface {
	// Bind records that subscriberID is phone's, and gives the tickets
	// of the conversation's channel address that have no subscriber yet
	// to it.
	Bind(ctx context.Context, subscriberID, phone, channel, address string, at time.Time) error
	// PhoneOf returns the number bound to a subscriber.
	PhoneOf(ctx context.Context, subscriberID string) (string, bool, error)
}

// Binding refusals.
var (
	// ErrBindLimited is too many codes for a number or conversation, or
	// too many wrong codes.
	ErrBindLimited = errors.New("sms: too many codes or tries")
	// ErrBindCode is a wrong or expired code.
	ErrBindCode = errors.New("sms: wrong or expired code")
)

// codeDigits is a code's length; codeSendTimeout bounds the send of one.
const (
	codeDigits      = 6
	codeSendTimeout = 10 * time.Second
)

// Binder ties a subscriber's phone number to their conversation on another
// channel by a one-time code it sends by SMS. The codes are kept hashed in
// the channel's CodeStore (Config.Codes), never logged or written to a
// transcript. With the default store they live in this process, so a code
// is checked by the instance that sent it and a restart forgets it; with
// a store all instances share, any of them checks it and the limits hold
// for all of them together.
type Binder struct {
	ch    *Channel
	store BindStore
	codes CodeStore
	now   func() time.Time
}

// NewBinder sends codes through the channel, keeps them in the channel's
// CodeStore and records bindings in the store.
func NewBinder(ch *Channel, store BindStore) *Binder {
	return &Binder{ch: ch, store: store, codes: ch.cfg.Codes, now: ch.cfg.Now}
}

// SendCode sends a new code to the number typed in a conversation and
// returns the number masked. It returns ErrBadPhone for a number that
// cannot be used and ErrBindLimited past the limits.
func (b *Binder) SendCode(ctx context.Context, conversationID, number string) (string, error) {
	phone, err := NormalizePhone(number, b.ch.cfg.DefaultCountry)
	if err != nil {
		return "", err
	}
	if out, err := b.ch.cfg.Store.OptedOut(ctx, phone); err != nil || out {
		if err == nil {
			err = fmt.Errorf("%w: %w", ErrBadPhone, errOptedOut)
		}
		return "", err
	}
	code, err := newCode()
	if err != nil {
		return "", err
	}
	if err := b.codes.Reserve(ctx, conversationID, phone, b.now()); err != nil {
		return "", fmt.Errorf("reserve code: %w", err)
	}

	sctx, cancel := context.WithTimeout(ctx, codeSendTimeout)
	defer cancel()
	if _, err := b.ch.submit(sctx, phone, codeText(code)); err != nil {
		return "", fmt.Errorf("send code: %w", err)
	}
	p := PendingCode{Phone: phone, Hash: codeHash(conversationID, code),
		Expires: b.now().Add(CodeLife), Tries: CodeTries}
	if err := b.codes.Put(ctx, conversationID, p); err != nil {
		return "", fmt.Errorf("keep code: %w", err)
	}
	return MaskPhone(phone), nil
}

// codeText is the SMS carrying a code.
func codeText(code string) string {
	return "验证码" + code + "，5分钟内有效，用于绑定客服账号。如非本人操作请忽略。"
}

// CheckCode checks a code typed in a conversation. On success the number
// is bound: the conversation's subscriber id and the masked number are
// returned and its tickets so far become the number's. It returns
// ErrBindCode for a wrong or expired code and ErrBindLimited when the
// code's tries are used up.
func (b *Binder) CheckCode(ctx context.Context, conversationID, channel, address, code string) (string, string, error) {
	hash := codeHash(conversationID, strings.TrimSpace(code))
	phone, err := b.codes.Try(ctx, conversationID, hash, b.now())
	if err != nil {
		return "", "", fmt.Errorf("check code: %w", err)
	}
	sub := channels.SubscriberFor(phone)
	if err := b.store.Bind(ctx, sub, phone, channel, address, b.now()); err != nil {
		return "", "", fmt.Errorf("bind: %w", err)
	}
	return sub, MaskPhone(phone), nil
}

// PhoneOf returns the number bound to a subscriber.
func (b *Binder) PhoneOf(ctx context.Context, subscriberID string) (string, bool, error) {
	return b.store.PhoneOf(ctx, subscriberID)
}

// newCode is a random six-digit code.
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("code: %w", err)
	}
	return fmt.Sprintf("%0*d", codeDigits, n.Int64()), nil
}

// codeHash is what is kept of a code: its digest with the conversation.
//
// TODO: the digest has no key, so whoever can read the CodeStore can find
// a six-digit code by trying all of them within its five minutes; a key
// that every instance gets from config would close that.
func codeHash(conversationID, code string) [32]byte {
	return sha256.Sum256([]byte(conversationID + "\x00" + code))
}

// Channel returns the channel codes go out on.
func (b *Binder) Channel() *Channel { return b.ch }
