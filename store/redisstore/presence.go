package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Presence keeps, for each agent with a console open on some gateway
// instance, a key that the instance renews; when the instance dies the
// key expires, and the desk notices the console is gone.
type Presence struct {
	rdb  redis.UniversalClient
	keys Keys
	life time.Duration
}

// NewPresence keeps marks for life after each renewal.
func NewPresence(rdb redis.UniversalClient, keys Keys, life time.Duration) *Presence {
	return &Presence{rdb: rdb, keys: keys, life: life}
}

func (p *Presence) key(agentID string) string { return p.keys.Key("presence", agentID) }

// Keep renews the marks of the agents.
func (p *Presence) Keep(ctx context.Context, agentIDs []string) error {
	_, err := p.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		for _, id := range agentIDs {
			pipe.Set(ctx, p.key(id), "1", p.life)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("keep presence: %w (%w)", ErrUnavailable, err)
	}
	return nil
}

// Present reports which of the agents have a mark.
func (p *Presence) Present(ctx context.Context, agentIDs []string) (map[string]bool, error) {
	cmds := make([]*redis.IntCmd, len(agentIDs))
	_, err := p.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		for i, id := range agentIDs {
			cmds[i] = pipe.Exists(ctx, p.key(id))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read presence: %w (%w)", ErrUnavailable, err)
	}
	out := make(map[string]bool, len(agentIDs))
	for i, id := range agentIDs {
		out[id] = cmds[i].Val() > 0
	}
	return out, nil
}
