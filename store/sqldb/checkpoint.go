package sqldb

import (
	"context"
	"database/sql"
	"time"
)

// checkpointEvery is how often the WAL is copied back into the main file.
//
// SQLite's own automatic checkpoint runs inside the commit that crosses
// 1,000 pages of WAL, so that commit (and every request of its group)
// waits for the copy and its fsync. The writer's automatic checkpoint is
// therefore off, and a connection of its own runs a passive checkpoint on
// this timer instead: it copies what no reader still needs and never
// blocks the writer. The WAL stays bounded as long as readers do not hold
// snapshots for seconds, which none of ours do.
const checkpointEvery = 500 * time.Millisecond

// runCheckpoints checkpoints pool's WAL on a timer until stop is closed.
func runCheckpoints(pool *sql.DB, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			// A failed passive checkpoint is retried at the next tick; the
			// WAL only grows meanwhile, and nothing is lost.
			_, _ = pool.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
			cancel()
		}
	}
}
