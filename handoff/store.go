package handoff

import (
	"context"
	"time"
)

// Store keeps the desk's shared state: the entries, the agents and the
// handling-time statistics. Every read returns copies; nothing a Store
// returns points into its own state, so an implementation may live in
// another process.
//
// Writes go through Commit, which applies a Batch all at once or not at
// all, and only when every record in it is still at the version it was
// read at. That compare-and-set is what makes two agents accepting the
// same conversation end with exactly one holder.
type Store interface {
	// Entry returns the entry of a conversation, or ErrNotFound.
	Entry(ctx context.Context, conversationID string) (Entry, error)
	// Queue returns the waiting entries in queue order (see Before).
	Queue(ctx context.Context) ([]Entry, error)
	// Agent returns an agent, or ErrNotFound.
	Agent(ctx context.Context, id string) (Agent, error)
	// Agents returns all agents ordered by id.
	Agents(ctx context.Context) ([]Agent, error)
	// Stats returns the handling-time statistics; zero before the first
	// close.
	Stats(ctx context.Context) (Stats, error)
	// Commit applies the batch atomically. It returns ErrConflict, and
	// changes nothing, when a record is not at the version given: a
	// record with version 0 must not exist yet, any other must exist at
	// that version. Each record written is stored one version higher.
	Commit(ctx context.Context, b Batch) error
}

// Batch is a set of writes a Store applies together.
type Batch struct {
	// Put creates or replaces entries.
	Put []Entry
	// Delete removes entries.
	Delete []Entry
	// Agents creates or replaces agents.
	Agents []Agent
	// Stats, when set, replaces the statistics.
	Stats *Stats
}

// Stats are the figures the wait estimate is made from.
type Stats struct {
	// HandleTime is the moving average of how long an agent held a
	// conversation before closing it.
	HandleTime time.Duration
	// Samples is how many closes went into HandleTime.
	Samples int64
	// Version counts the stored changes.
	Version int64
}
