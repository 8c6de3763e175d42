package handoff

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// MemStore is a Store in memory for a gateway that runs as one process.
// It is safe for concurrent use; its state is lost when the process ends.
type MemStore struct {
	mu      sync.Mutex
	entries map[string]Entry
	agents  map[string]Agent
	stats   Stats
}

var _ Store = (*MemStore)(nil)

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	return &MemStore{entries: map[string]Entry{}, agents: map[string]Agent{}}
}

// Entry returns the entry of a conversation, or ErrNotFound.
func (m *MemStore) Entry(_ context.Context, conversationID string) (Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[conversationID]
	if !ok {
		return Entry{}, fmt.Errorf("conversation %s: %w", conversationID, ErrNotFound)
	}
	return e.clone(), nil
}

// Queue returns the waiting entries in queue order.
func (m *MemStore) Queue(_ context.Context) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Entry
	for _, e := range m.entries {
		if e.Status == StatusWaiting {
			out = append(out, e.clone())
		}
	}
	SortQueue(out)
	return out, nil
}

// Agent returns an agent, or ErrNotFound.
func (m *MemStore) Agent(_ context.Context, id string) (Agent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.agents[id]
	if !ok {
		return Agent{}, fmt.Errorf("agent %s: %w", id, ErrNotFound)
	}
	return a.clone(), nil
}

// Agents returns all agents ordered by id.
func (m *MemStore) Agents(_ context.Context) ([]Agent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Agent, 0, len(m.agents))
	for _, a := range m.agents {
		out = append(out, a.clone())
	}
	slices.SortFunc(out, func(a, b Agent) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// Stats returns the handling-time statistics.
func (m *MemStore) Stats(_ context.Context) (Stats, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stats, nil
}

// Commit applies the batch atomically, or returns ErrConflict.
func (m *MemStore) Commit(_ context.Context, b Batch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check(b); err != nil {
		return err
	}
	for _, e := range b.Delete {
		delete(m.entries, e.ConversationID)
	}
	for _, e := range b.Put {
		e = e.clone()
		e.Version++
		m.entries[e.ConversationID] = e
	}
	for _, a := range b.Agents {
		a = a.clone()
		a.Version++
		m.agents[a.ID] = a
	}
	if b.Stats != nil {
		m.stats = *b.Stats
		m.stats.Version++
	}
	return nil
}

// check tells whether every record of the batch is at its stored version.
func (m *MemStore) check(b Batch) error {
	for _, e := range append(slices.Clone(b.Put), b.Delete...) {
		if m.entries[e.ConversationID].Version != e.Version {
			return fmt.Errorf("conversation %s at version %d: %w",
				e.ConversationID, e.Version, ErrConflict)
		}
	}
	for _, a := range b.Agents {
		if m.agents[a.ID].Version != a.Version {
			return fmt.Errorf("agent %s at version %d: %w", a.ID, a.Version, ErrConflict)
		}
	}
	if b.Stats != nil && b.Stats.Version != m.stats.Version {
		return fmt.Errorf("stats at version %d: %w", b.Stats.Version, ErrConflict)
	}
	return nil
}
