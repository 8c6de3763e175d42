package handoff

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Note is an agent's internal note on a conversation: kept with it and
// shown to every agent who handles it later, never to the subscriber.
type Note struct {
	// ID identifies the note; the console derives it from the agent and
	// the console's own id for the note, so a resent note is kept once.
	ID string
	// ConversationID is the conversation it belongs to.
	ConversationID string
	// AgentID is who wrote it.
	AgentID string
	// Text is the note; it may hold personal data and is never logged.
	Text string
	// At is when it was written.
	At time.Time
}

// NoteStore keeps internal notes.
type NoteStore interface {
	// AddNote stores a note; a note with an id already stored is left as
	// it is and reported with false.
	AddNote(ctx context.Context, n Note) (bool, error)
	// Notes returns a conversation's notes, oldest first.
	Notes(ctx context.Context, conversationID string) ([]Note, error)
}

// MemNotes is a NoteStore in memory, for tests and a gateway that does not
// keep its notes. It is safe for concurrent use.
type MemNotes struct {
	mu    sync.Mutex
	notes map[string][]Note
}

var _ NoteStore = (*MemNotes)(nil)

// NewMemNotes returns an empty note store.
func NewMemNotes() *MemNotes { return &MemNotes{notes: map[string][]Note{}} }

// AddNote stores a note unless its id is taken.
func (m *MemNotes) AddNote(_ context.Context, n Note) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, old := range m.notes[n.ConversationID] {
		if old.ID == n.ID {
			return false, nil
		}
	}
	m.notes[n.ConversationID] = append(m.notes[n.ConversationID], n)
	return true, nil
}

// Notes returns a conversation's notes, oldest first.
func (m *MemNotes) Notes(_ context.Context, conversationID string) ([]Note, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.notes[conversationID]), nil
}
