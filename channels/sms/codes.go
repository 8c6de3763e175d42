package sms

import (
	"context"
	"crypto/subtle"
	"sync"
	"time"
)

// Binding limits: a code lives five minutes and allows five tries; a
// number gets one code a minute and five an hour, and one conversation
// five an hour. Every CodeStore holds to them.
const (
	CodeLife     = 5 * time.Minute
	CodeTries    = 5
	CodeGap      = time.Minute
	CodesPerHour = 5
)

// PendingCode is a code sent and not used yet. Only its digest is kept
// (see codeHash), never the code.
type PendingCode struct {
	// Phone is the number the code went to, in E.164.
	Phone string
	// Hash is the code's digest with its conversation.
	Hash [32]byte
	// Expires is when the code stops being accepted.
	Expires time.Time
	// Tries is how many tries are left.
	Tries int
}

// CodeStore keeps the binding codes: how many went to each number and
// from each conversation, and each conversation's pending code. The
// binder passes its own clock, so every store measures the limits the
// same way.
//
// MemCodes keeps them in this process; a store shared by every gateway
// instance (Redis) lets a code sent by one be checked by another, and
// counts the limits across all of them.
type CodeStore interface {
	// Reserve counts a code to phone from a conversation at a time. It
	// returns ErrBindLimited, counting nothing, when the number had a
	// code within CodeGap or CodesPerHour within the hour, or the
	// conversation CodesPerHour within the hour.
	Reserve(ctx context.Context, conversationID, phone string, at time.Time) error
	// Put makes p the conversation's pending code, in place of any other.
	Put(ctx context.Context, conversationID string, p PendingCode) error
	// Try uses up a try of the conversation's pending code at a time and
	// returns its number when hash is the code's. It returns ErrBindCode
	// for a wrong code, an expired one or none, and ErrBindLimited for
	// the wrong try that used up the last one; a right code, and a code
	// out of tries, are gone afterwards. Concurrent tries are counted
	// one by one: of several, only one can be the last.
	Try(ctx context.Context, conversationID string, hash [32]byte, at time.Time) (string, error)
}

// MemCodes is the CodeStore of one process: other instances cannot check
// its codes, each counts its own limits, and a restart forgets them (the
// subscriber asks for a new code). It is safe for concurrent use.
type MemCodes struct {
	mu      sync.Mutex
	pending map[string]PendingCode // by conversation id
	toPhone map[string][]time.Time // codes sent, by number
	byConv  map[string][]time.Time // codes sent, by conversation
	swept   time.Time
}

var _ CodeStore = (*MemCodes)(nil)

// NewMemCodes returns an empty store.
func NewMemCodes() *MemCodes {
	return &MemCodes{pending: map[string]PendingCode{}, toPhone: map[string][]time.Time{},
		byConv: map[string][]time.Time{}}
}

// Reserve counts a code against the limits, or returns ErrBindLimited.
func (m *MemCodes) Reserve(_ context.Context, conversationID, phone string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep(at)
	toPhone, byConv := recent(m.toPhone[phone], at), recent(m.byConv[conversationID], at)
	if len(toPhone) >= CodesPerHour || len(byConv) >= CodesPerHour ||
		(len(toPhone) > 0 && at.Sub(toPhone[len(toPhone)-1]) < CodeGap) {
		return ErrBindLimited
	}
	m.toPhone[phone] = append(toPhone, at)
	m.byConv[conversationID] = append(byConv, at)
	return nil
}

// sweep drops, once an hour, the counts and codes that no longer matter,
// so numbers seen once do not stay in memory.
func (m *MemCodes) sweep(now time.Time) {
	if now.Sub(m.swept) < time.Hour {
		return
	}
	m.swept = now
	for _, sent := range []map[string][]time.Time{m.toPhone, m.byConv} {
		for k, times := range sent {
			if kept := recent(times, now); len(kept) > 0 {
				sent[k] = kept
			} else {
				delete(sent, k)
			}
		}
	}
	for k, p := range m.pending {
		if !now.Before(p.Expires) {
			delete(m.pending, k)
		}
	}
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

// Put makes p the conversation's pending code. It never fails.
func (m *MemCodes) Put(_ context.Context, conversationID string, p PendingCode) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pending[conversationID] = p
	return nil
}

// Try uses up a try of the conversation's pending code.
func (m *MemCodes) Try(_ context.Context, conversationID string, hash [32]byte, at time.Time) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.pending[conversationID]
	if !ok || !at.Before(p.Expires) {
		delete(m.pending, conversationID)
		return "", ErrBindCode
	}
	if subtle.ConstantTimeCompare(hash[:], p.Hash[:]) == 1 {
		delete(m.pending, conversationID)
		return p.Phone, nil
	}
	p.Tries--
	if p.Tries <= 0 {
		delete(m.pending, conversationID)
		return "", ErrBindLimited
	}
	m.pending[conversationID] = p
	return "", ErrBindCode
}
