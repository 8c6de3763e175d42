package redisstore

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// pingTimeout bounds the ping of a readiness probe.
const pingTimeout = time.Second

// Ping checks within a second that Redis answers, for readiness probes. Its
// error text is always "redis did not answer", so it can be shown to anyone;
// the cause is kept for errors.Is and errors.As.
func Ping(ctx context.Context, rdb redis.UniversalClient) error {
	if err := pingWithin(ctx, rdb, pingTimeout); err != nil {
		return noAnswer{cause: err}
	}
	return nil
}

// noAnswer is the error of a failed Ping.
type noAnswer struct{ cause error }

func (e noAnswer) Error() string { return "redis did not answer" }

func (e noAnswer) Unwrap() error { return e.cause }
