package wechat

import (
	"sync"
	"time"

	"github.com/silenceper/wechat/v2/cache"
)

// memCache is the SDK's cache in one process, safe for concurrent use
// (the SDK's own memory cache reads its map without its lock). It holds
// the access token.
type memCache struct {
	mu    sync.Mutex
	now   func() time.Time
	items map[string]memItem
}

type memItem struct {
	val     any
	expires time.Time
}

var _ cache.Cache = (*memCache)(nil)

func newMemCache(now func() time.Time) *memCache {
	return &memCache{now: now, items: map[string]memItem{}}
}

// Get returns the value, or nil when it is missing or expired.
func (m *memCache) Get(key string) any {
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[key]
	if !ok || !m.now().Before(it.expires) {
		delete(m.items, key)
		return nil
	}
	return it.val
}

// Set stores a value for the timeout.
func (m *memCache) Set(key string, val any, timeout time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.items[key] = memItem{val: val, expires: m.now().Add(timeout)}
	return nil
}

// IsExist reports whether the value is there and fresh.
func (m *memCache) IsExist(key string) bool { return m.Get(key) != nil }

// Delete removes a value.
func (m *memCache) Delete(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.items, key)
	return nil
}
