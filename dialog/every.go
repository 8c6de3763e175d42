package dialog

import (
	"context"
	"time"
)

// Every calls fn each interval until ctx ends. It is the loop of the
// gateway's periodic background jobs: the idle sweep, the outbox rescan,
// the knowledge base watch, the console's presence marks.
func Every(ctx context.Context, interval time.Duration, fn func()) {
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
