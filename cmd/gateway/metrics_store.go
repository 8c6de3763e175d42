package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"hotline/dialog"
)

// countedStore is the conversation store as the engine and the outbox see
// it: commits, the engine's reads and the outbox's status writes are
// timed, and a commit that succeeds counts the knowledge base's answers
// and misses of its turn. Counting after the commit means a turn the
// engine runs again after a conflict is counted once.
type countedStore struct {
	dialog.Store
	m                      *metrics
	commit, read, delivery prometheus.Observer
}

var _ dialog.Store = (*countedStore)(nil)

// store wraps the conversation store.
func (m *metrics) store(s dialog.Store) dialog.Store {
	return &countedStore{Store: s, m: m,
		commit:   m.storeTime.WithLabelValues(storeCommit),
		read:     m.storeTime.WithLabelValues(storeRead),
		delivery: m.storeTime.WithLabelValues(storeDeliveries),
	}
}

// since observes the seconds from start.
func since(o prometheus.Observer, start time.Time) { o.Observe(time.Since(start).Seconds()) }

// Commit applies the change, timed, and counts its answers once stored.
func (s *countedStore) Commit(ctx context.Context, c dialog.Change) error {
	start := time.Now()
	err := s.Store.Commit(ctx, c)
	since(s.commit, start)
	if err == nil {
		s.countAnswers(c)
	}
	return err
}

// countAnswers counts the questions a turn answered from the knowledge
// base and those it could not answer, with or without choices offered.
func (s *countedStore) countAnswers(c dialog.Change) {
	if c.Visit != nil && c.Visit.Answered > 0 {
		s.m.answers.WithLabelValues(answerHit).Add(float64(c.Visit.Answered))
	}
	for _, u := range c.Unanswered {
		if u.Suggested {
			s.m.answers.WithLabelValues(answerSuggested).Inc()
		} else {
			s.m.answers.WithLabelValues(answerMiss).Inc()
		}
	}
}

// FindConversation reads a conversation by address, timed.
func (s *countedStore) FindConversation(ctx context.Context, channel, address string) (dialog.Conversation, error) {
	defer since(s.read, time.Now())
	return s.Store.FindConversation(ctx, channel, address)
}

// Conversation reads a conversation by id, timed.
func (s *countedStore) Conversation(ctx context.Context, id string) (dialog.Conversation, error) {
	defer since(s.read, time.Now())
	return s.Store.Conversation(ctx, id)
}

// FindInbound looks a provider id up, timed.
func (s *countedStore) FindInbound(ctx context.Context, conversationID, providerID string) (dialog.Message, error) {
	defer since(s.read, time.Now())
	return s.Store.FindInbound(ctx, conversationID, providerID)
}

// MarkDeliveries records delivery outcomes, timed, and once they are
// stored counts the attempts beyond a message's first and the messages
// given up. Outcomes the store did not take are not counted: the message
// is still pending there, is sent again, and its new outcome is counted.
func (s *countedStore) MarkDeliveries(ctx context.Context, updates []dialog.DeliveryUpdate) error {
	start := time.Now()
	err := s.Store.MarkDeliveries(ctx, updates)
	since(s.delivery, start)
	if err == nil {
		s.countDeliveries(updates)
	}
	return err
}

// countDeliveries counts the retries and the messages given up among
// recorded outcomes.
func (s *countedStore) countDeliveries(updates []dialog.DeliveryUpdate) {
	for _, u := range updates {
		ch, p := s.m.channelLabels(u.Channel)
		if u.Attempts > 1 {
			s.m.retries.WithLabelValues(ch, p).Inc()
		}
		if u.Status == dialog.DeliveryFailed {
			s.m.givenUp.WithLabelValues(ch, p).Inc()
		}
	}
}
