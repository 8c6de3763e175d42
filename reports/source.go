package reports

import (
	"context"
	"time"
)

// Source computes and keeps figures; store/reportdb implements it on the
// gateway's database.
type Source interface {
	// Compute returns the figures of the time range [from, to).
	Compute(ctx context.Context, from, to time.Time) (Day, error)
	// Saved returns the kept figures of the days first to last (YYYYMMDD,
	// both included), by day.
	Saved(ctx context.Context, first, last int) (map[int]Saved, error)
	// Save keeps a day's figures, computed at the given time.
	Save(ctx context.Context, day int, d Day, at time.Time) error
}

// Saved is a day's kept figures and when they were computed.
type Saved struct {
	// Day are the figures.
	Day Day
	// ComputedAt is when they were computed.
	ComputedAt time.Time
}
