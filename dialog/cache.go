package dialog

import (
	"context"
	"sync"
)

// RecordCache keeps conversation records near the engine so that a
// message does not read the store. The engine puts each record it
// commits, keyed by channel and address, and drops the entry when the
// store refuses a commit as stale. A cache may lose entries or hold an
// old record: the store's version check at commit catches an old one,
// and the engine then handles the message again from the store. Get and
// Put never fail; a cache that cannot answer reports a miss.
type RecordCache interface {
	// Get returns the cached record of a conversation key, if any.
	Get(ctx context.Context, key string) (Conversation, bool)
	// Put caches a committed record.
	Put(ctx context.Context, key string, c Conversation)
	// Drop forgets a key's record.
	Drop(ctx context.Context, key string)
}

// convCache is the in-memory RecordCache. It serves one instance whose
// engine is the only writer of the conversations it caches; with several
// instances sharing a store, a shared cache (in Redis) takes its place.
type convCache struct {
	mu  sync.Mutex
	max int
	m   map[string]Conversation
}

func newConvCache(max int) *convCache {
	return &convCache{max: max, m: make(map[string]Conversation)}
}

// Get returns a copy of the cached record.
func (c *convCache) Get(_ context.Context, key string) (Conversation, bool) {
	if c.max <= 0 {
		return Conversation{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	conv, ok := c.m[key]
	conv.Slots = cloneSlots(conv.Slots)
	return conv, ok
}

// Put stores a copy of the record, evicting about a tenth of the entries
// (in no particular order) when full.
func (c *convCache) Put(_ context.Context, key string, conv Conversation) {
	if c.max <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; !ok && len(c.m) >= c.max {
		drop := c.max/10 + 1
		for k := range c.m {
			delete(c.m, k)
			if drop--; drop == 0 {
				break
			}
		}
	}
	conv.Slots = cloneSlots(conv.Slots)
	c.m[key] = conv
}

// Drop forgets the key's record.
func (c *convCache) Drop(_ context.Context, key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, key)
}

func cloneSlots(s map[string]string) map[string]string {
	if s == nil {
		return nil
	}
	out := make(map[string]string, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}
