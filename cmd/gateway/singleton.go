package main

import (
	"context"

	"github.com/redis/go-redis/v9"

	"hotline/dialog"
	"hotline/handoff"
	"hotline/handoff/console"
	"hotline/store/redisstore"
)

// alone returns how the named background job runs: on every instance's
// own in the embedded mode, and with Redis on one instance of all at a
// time, taken over by another when that one stops or dies. Jobs that
// scan shared state (the outbox's rescans, the sweeper, the deadline
// scanner, the event relays) must not run twice at once.
func (g *gateway) alone(name string) dialog.Runner {
	if g.redis == nil {
		return func(ctx context.Context, loop func(context.Context)) { loop(ctx) }
	}
	log := g.log.With("component", "singleton", "job", name)
	s := redisstore.NewSingleton(g.redis, g.keys.Key("job", name), g.cfg.Redis.JobLease.D(), log)
	return func(ctx context.Context, loop func(context.Context)) {
		s.Run(ctx, func(ctx context.Context) {
			log.Info("background job runs on this instance")
			loop(ctx)
			log.Info("background job left this instance")
		})
	}
}

// redisPinger checks the shared Redis for the readiness probe: an
// instance that cannot reach it is not ready for work.
type redisPinger struct {
	rdb redis.UniversalClient
}

// Ping reports whether Redis answers.
func (p redisPinger) Ping(ctx context.Context) error { return redisstore.Ping(ctx, p.rdb) }

// deskStore is where the agent desk keeps its queue and agents: in this
// process, or in Redis for every instance.
func (g *gateway) deskStore() handoff.Store {
	if g.redis == nil {
		return handoff.NewMemStore()
	}
	return redisstore.NewDeskStore(g.redis, g.keys)
}

// sharedConsole is what the console shares with other instances
// through Redis: its frames, its agents' presence and failed sign-ins.
// All are nil without Redis.
type sharedConsole struct {
	relay    console.Relay
	presence console.Presence
	failures console.Counter
}

func (g *gateway) sharedConsole() sharedConsole {
	if g.redis == nil {
		return sharedConsole{}
	}
	g.consoleFanout = redisstore.NewFanout(g.redis, g.keys.Key("console", "relay"), g.log.With("component", "console-relay"))
	return sharedConsole{relay: g.consoleFanout,
		presence: redisstore.NewPresence(g.redis, g.keys, console.PresenceLife(g.cfg.Agent.Presence.D())),
		failures: redisstore.NewCounter(g.redis, g.keys)}
}
