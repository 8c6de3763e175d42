package redisstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"
)

// ErrUnavailable is a call Redis did not answer.
var ErrUnavailable = errors.New("redis did not answer")

// Fanout passes payloads to every instance listening on one Redis pub/sub
// channel. Delivery is at most once: an instance that is reconnecting
// when a payload is published misses it, so what goes through a Fanout
// must also be kept where the receiver finds it later (a transcript, for
// the web chat).
type Fanout struct {
	rdb     redis.UniversalClient
	channel string
	log     *slog.Logger
}

// NewFanout publishes and listens on the named channel.
func NewFanout(rdb redis.UniversalClient, channel string, log *slog.Logger) *Fanout {
	if log == nil {
		log = slog.Default()
	}
	return &Fanout{rdb: rdb, channel: channel, log: log}
}

// Publish sends a payload to every instance listening now.
func (f *Fanout) Publish(ctx context.Context, payload []byte) error {
	if err := f.rdb.Publish(ctx, f.channel, payload).Err(); err != nil {
		return fmt.Errorf("publish on %s: %w (%w)", f.channel, ErrUnavailable, err)
	}
	return nil
}

// Listen hands every payload published on the channel to handle, one at
// a time, until ctx ends. The client resubscribes by itself after Redis
// comes back; what was published in between is lost.
func (f *Fanout) Listen(ctx context.Context, handle func(payload []byte)) {
	f.ListenWith(ctx, handle, nil)
}

// ListenWith is Listen that also calls subscribed, when not nil, each
// time the subscription is made: once at the start and again each time
// it is made anew after a break, during which payloads were lost. It is
// called on the listening goroutine before any payload published after
// the subscription is handed to handle, so it should return quickly.
func (f *Fanout) ListenWith(ctx context.Context, handle func(payload []byte), subscribed func()) {
	sub := f.rdb.Subscribe(ctx, f.channel)
	defer func() { _ = sub.Close() }()
	msgs := sub.ChannelWithSubscriptions()
	made := 0
	for {
		select {
		case <-ctx.Done():
			return
		case m, ok := <-msgs:
			if !ok {
				return
			}
			switch m := m.(type) {
			case *redis.Message:
				handle([]byte(m.Payload))
			case *redis.Subscription:
				if m.Kind == "subscribe" {
					made++
					f.onSubscribed(made, subscribed)
				}
			}
		}
	}
}

// onSubscribed logs a subscription made after a break and calls the
// hook.
func (f *Fanout) onSubscribed(made int, subscribed func()) {
	if made > 1 {
		f.log.Info("pub/sub subscription made again after a break; what was published "+
			"in between was missed", "channel", f.channel)
	}
	if subscribed != nil {
		subscribed()
	}
}
