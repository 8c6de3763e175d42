package redisstore

import (
	"context"
	"errors"
	"testing"

	"hotline/handoff"
	"hotline/handoff/handofftest"
)

func TestDeskStore_Suite(t *testing.T) {
	t.Parallel()
	handofftest.StoreSuite(t, func(t *testing.T) handoff.Store {
		rdb, keys := setup(t)
		return NewDeskStore(rdb, keys)
	})
}

func TestDeskStoreRedisErrorIsNeitherMissingNorConflict(t *testing.T) {
	t.Parallel()
	_, keys := setup(t)
	closed := newClient(t)
	_ = closed.Close()
	d := NewDeskStore(closed, keys)
	ctx := context.Background()
	entry := handoff.Entry{ConversationID: "conv-1", Status: handoff.StatusWaiting}
	_, entryErr := d.Entry(ctx, "conv-1")
	_, queueErr := d.Queue(ctx)
	_, agentErr := d.Agent(ctx, "agent-1")
	_, agentsErr := d.Agents(ctx)
	_, statsErr := d.Stats(ctx)
	commitErr := d.Commit(ctx, handoff.Batch{Put: []handoff.Entry{entry}})
	for name, err := range map[string]error{
		"Entry": entryErr, "Queue": queueErr, "Agent": agentErr,
		"Agents": agentsErr, "Stats": statsErr, "Commit": commitErr,
	} {
		if err == nil || errors.Is(err, handoff.ErrNotFound) || errors.Is(err, handoff.ErrConflict) {
			t.Errorf("%s on a closed client: %v, want a plain Redis error", name, err)
		}
	}
}

func TestDeskStoreSharedByInstances(t *testing.T) {
	t.Parallel()
	_, keys := setup(t)
	one, two := NewDeskStore(newClient(t), keys), NewDeskStore(newClient(t), keys)
	ctx := context.Background()
	entry := handoff.Entry{ConversationID: "conv-1", Status: handoff.StatusWaiting}
	if err := one.Commit(ctx, handoff.Batch{Put: []handoff.Entry{entry}}); err != nil {
		t.Fatal(err)
	}
	seen, err := two.Entry(ctx, "conv-1")
	if err != nil || seen.Version != 1 {
		t.Fatalf("second instance reads %+v, %v; want version 1", seen, err)
	}
	seen.Status, seen.AgentID = handoff.StatusAssigned, "agent-1"
	if err := two.Commit(ctx, handoff.Batch{Put: []handoff.Entry{seen}}); err != nil {
		t.Fatal(err)
	}
	if queue, err := one.Queue(ctx); err != nil || len(queue) != 0 {
		t.Fatalf("first instance's queue = %+v, %v; want empty", queue, err)
	}
	entry.Version = 1
	err = one.Commit(ctx, handoff.Batch{Put: []handoff.Entry{entry}})
	if !errors.Is(err, handoff.ErrConflict) {
		t.Fatalf("stale commit from the first instance: %v, want a conflict", err)
	}
}

func TestDeskStoreKeysShareOneTag(t *testing.T) {
	t.Parallel()
	rdb, keys := setup(t)
	d := NewDeskStore(rdb, keys)
	stats := handoff.Stats{Samples: 1}
	err := d.Commit(context.Background(), handoff.Batch{
		Put:    []handoff.Entry{{ConversationID: "conv-1", Status: handoff.StatusWaiting}},
		Agents: []handoff.Agent{{Profile: handoff.Profile{ID: "agent-1"}}},
		Stats:  &stats,
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := rdb.Keys(context.Background(), keys.Prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 6 {
		t.Fatalf("desk keys = %v, want six", stored)
	}
	for _, key := range stored {
		if tag, _ := hashTag(key); tag != deskTag {
			t.Errorf("key %s has hash tag %q, want %q", key, tag, deskTag)
		}
	}
}
