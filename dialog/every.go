package dialog

import (
	"context"
	"time"
)

// every calls fn each interval until ctx ends. It is the loop of the
// engine's background jobs: the idle sweep, the outbox rescan and the
// knowledge base watch.
func every(ctx context.Context, interval time.Duration, fn func()) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			fn()
		}
	}
}
