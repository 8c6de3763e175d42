package dialog

import "sync"

// convCache keeps recently used conversation records in memory so the hot
// path does not read the store for every message. It is correct only
// while this engine is the only writer of the conversations it caches:
// every change goes through the engine's per-conversation order, which
// updates the cache after each commit, and a store conflict drops the
// entry. With several instances sharing a store it must be turned off
// (size 0) or validated against the store.
type convCache struct {
	mu  sync.Mutex
	max int
	m   map[string]Conversation
}

func newConvCache(max int) *convCache {
	return &convCache{max: max, m: make(map[string]Conversation)}
}

func (c *convCache) get(key string) (Conversation, bool) {
	if c.max <= 0 {
		return Conversation{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	conv, ok := c.m[key]
	conv.Slots = cloneSlots(conv.Slots)
	return conv, ok
}

// put stores a copy of the record, evicting about a tenth of the entries
// (in no particular order) when full.
func (c *convCache) put(key string, conv Conversation) {
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

func (c *convCache) drop(key string) {
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
