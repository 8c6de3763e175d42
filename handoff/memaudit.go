package handoff

import (
	"context"
	"sync"
)

// MemAuditStore is an AuditStore in memory, for tests and for a gateway
// that runs as one process. It is safe for concurrent use; its entries are
// lost when the process ends.
type MemAuditStore struct {
	mu      sync.Mutex
	entries []AuditEntry
}

var _ AuditStore = (*MemAuditStore)(nil)

// NewMemAuditStore returns an empty audit log.
func NewMemAuditStore() *MemAuditStore {
	return &MemAuditStore{}
}

// AppendAudit stores an entry with the next id.
func (m *MemAuditStore) AppendAudit(_ context.Context, e AuditEntry) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e.ID = int64(len(m.entries)) + 1
	m.entries = append(m.entries, e)
	return e.ID, nil
}

// AuditEntries returns the entries the query selects, newest first.
func (m *MemAuditStore) AuditEntries(_ context.Context, q AuditQuery) ([]AuditEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []AuditEntry
	for _, e := range m.entries {
		if q.selects(e) {
			out = append(out, e)
		}
	}
	sortNewestFirst(out)
	return out[:min(len(out), q.limit())], nil
}

// selects reports whether the query keeps the entry.
func (q AuditQuery) selects(e AuditEntry) bool {
	return (q.Actor == "" || e.Actor == q.Actor) &&
		(q.ConversationID == "" || e.ConversationID == q.ConversationID)
}
