package tickets

import (
	"context"
	"sync"
	"time"
)

// outageCacheTTL is how long the list of open outages is reused for
// linking new fault reports. Outages declared, changed or closed through
// this service take effect at once; those changed by another gateway
// sharing the database, within this time.
const outageCacheTTL = 2 * time.Second

// outageCache keeps the open outages, so a burst of fault reports during
// an outage does not read the same short list for every report.
type outageCache struct {
	mu      sync.Mutex
	open    []Outage
	fetched time.Time // zero: nothing cached
}

// get returns the open outages, reading them from the store when the
// cached list is older than the TTL.
func (c *outageCache) get(ctx context.Context, store Store, now time.Time) ([]Outage, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fetched.IsZero() && now.Sub(c.fetched) < outageCacheTTL && now.After(c.fetched) {
		return c.open, nil
	}
	open, err := store.Outages(ctx, false, maxLinkable)
	if err != nil {
		return nil, err
	}
	c.open, c.fetched = open, now
	return open, nil
}

// forget drops the cached list after a change to an outage.
func (c *outageCache) forget() {
	c.mu.Lock()
	c.open, c.fetched = nil, time.Time{}
	c.mu.Unlock()
}

// maxLinkable is how many open outages a fault report is checked against.
const maxLinkable = 100
