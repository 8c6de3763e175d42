package sms

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
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

// Binding limits: a code lives five minutes and allows five tries; a
// number gets one code a minute and five an hour, and one conversation
// five an hour.
const (
	codeLife        = 5 * time.Minute
	codeTries       = 5
	codeGap         = time.Minute
	codesPerHour    = 5
	codeDigits      = 6
	codeSendTimeout = 10 * time.Second
)

// Binder ties a subscriber's phone number to their conversation on another
// channel by a one-time code it sends by SMS. The codes exist only here,
// hashed, and are never logged or written to a transcript. They live in
// this process's memory: a code sent by one gateway instance is checked
// by the same one, and a restart forgets pending codes (the subscriber
// asks for a new one).
type Binder struct {
	ch    *Channel
	store BindStore
	now   func() time.Time

	mu      sync.Mutex
	pending map[string]pendingCode // by conversation id
	toPhone map[string][]time.Time // codes sent, by number
	byConv  map[string][]time.Time // codes sent, by conversation
}

type pendingCode struct {
	phone   string
	hash    [32]byte
	expires time.Time
	tries   int
}

// NewBinder sends codes through the channel and records bindings in the
// store.
func NewBinder(ch *Channel, store BindStore) *Binder {
	return &Binder{ch: ch, store: store, now: ch.cfg.Now, pending: map[string]pendingCode{},
		toPhone: map[string][]time.Time{}, byConv: map[string][]time.Time{}}
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
	if err := b.reserve(conversationID, phone); err != nil {
		return "", err
	}

	sctx, cancel := context.WithTimeout(ctx, codeSendTimeout)
	defer cancel()
	if _, err := b.ch.submit(sctx, phone, codeText(code)); err != nil {
		return "", fmt.Errorf("send code: %w", err)
	}
	b.mu.Lock()
	b.pending[conversationID] = pendingCode{phone: phone, hash: codeHash(conversationID, code),
		expires: b.now().Add(codeLife)}
	b.mu.Unlock()
	return MaskPhone(phone), nil
}

// codeText is the SMS carrying a code.
func codeText(code string) string {
	return "验证码" + code + "，5分钟内有效，用于绑定客服账号。如非本人操作请忽略。"
}

// reserve counts a code against the number's and the conversation's
// limits, or returns ErrBindLimited.
func (b *Binder) reserve(conversationID, phone string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	toPhone, byConv := recent(b.toPhone[phone], now), recent(b.byConv[conversationID], now)
	if len(toPhone) >= codesPerHour || len(byConv) >= codesPerHour ||
		(len(toPhone) > 0 && now.Sub(toPhone[len(toPhone)-1]) < codeGap) {
		return ErrBindLimited
	}
	b.toPhone[phone] = append(toPhone, now)
	b.byConv[conversationID] = append(byConv, now)
	return nil
}

// recent keeps the times of the last hour.
func recent(times []time.Time, now time.Time) []time.Time {
	out := times[:0]
	for _, t := range times {
		if now.Sub(t) < time.Hour {
			out = append(out, t)
		}
	}
	return out
}

// CheckCode checks a code typed in a conversation. On success the number
// is bound: the conversation's subscriber id and the masked number are
// returned and its tickets so far become the number's.
func (b *Binder) CheckCode(ctx context.Context, conversationID, channel, address, code string) (string, string, error) {
	phone, err := b.take(conversationID, strings.TrimSpace(code))
	if err != nil {
		return "", "", err
	}
	sub := channels.SubscriberFor(phone)
	if err := b.store.Bind(ctx, sub, phone, channel, address, b.now()); err != nil {
		return "", "", fmt.Errorf("bind: %w", err)
	}
	return sub, MaskPhone(phone), nil
}

// take uses up a try of the conversation's pending code and returns its
// number when the code is right.
func (b *Binder) take(conversationID, code string) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	p, ok := b.pending[conversationID]
	if !ok || !b.now().Before(p.expires) {
		delete(b.pending, conversationID)
		return "", ErrBindCode
	}
	p.tries++
	want := codeHash(conversationID, code)
	if subtle.ConstantTimeCompare(want[:], p.hash[:]) == 1 {
		delete(b.pending, conversationID)
		return p.phone, nil
	}
	if p.tries >= codeTries {
		delete(b.pending, conversationID)
		return "", ErrBindLimited
	}
	b.pending[conversationID] = p
	return "", ErrBindCode
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
func codeHash(conversationID, code string) [32]byte {
	return sha256.Sum256([]byte(conversationID + "\x00" + code))
}

// Channel returns the channel codes go out on.
func (b *Binder) Channel() *Channel { return b.ch }
