package dialog_test

import (
	"context"
	"sync"
	"testing"

	"hotline/channels"
	"hotline/dialog"
)

// sharedCache is a RecordCache two engines share, as instances share the
// one in Redis, which the test can make stale and whose Drop can fail.
type sharedCache struct {
	mu       sync.Mutex
	m        map[string]dialog.Conversation
	dropFail bool
	drops    int
}

func (c *sharedCache) Get(_ context.Context, key string) (dialog.Conversation, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[key]
	return r, ok
}

func (c *sharedCache) Put(_ context.Context, key string, r dialog.Conversation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = r
}

func (c *sharedCache) Drop(_ context.Context, key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.drops++
	if !c.dropFail {
		delete(c.m, key)
	}
}

// Two engines on one store with one shared record cache: an old record
// in the cache (a Put lost, say) costs a second try from the store, not
// a lost or doubled message, even when the cache cannot drop it; a
// provider's retry handled from a cached record is still a duplicate.
func TestEngine_SharedRecordCache(t *testing.T) {
	h := newHarness(t, shippedKnowledge(t))
	ctx := context.Background()
	cache := &sharedCache{m: map[string]dialog.Conversation{}}
	engine := func() *dialog.Engine {
		return dialog.NewEngine(dialog.EngineConfig{Store: h.store, Knowledge: h.know,
			Texts: h.texts, Clock: h.clock, Log: discard, Records: cache})
	}
	a, b := engine(), engine()
	say := func(e *dialog.Engine, id string) channels.Receipt {
		t.Helper()
		r, err := e.Receive(ctx, channels.Inbound{Channel: "sms:x", Address: "+8613800000000",
			ProviderID: id, Text: "怎么查话费余额"})
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		return r
	}
	key := "sms:x\x00+8613800000000"

	say(a, "p1")
	stale, _ := cache.Get(ctx, key) // version 1
	say(b, "p2")                    // reads version 1 from the cache, commits 2
	cache.Put(ctx, key, stale)      // as if b's Put were lost
	if r := say(a, "p3"); r.Duplicate || r.Replies != 1 {
		t.Fatalf("from an old cached record: %+v", r)
	}
	if cache.drops != 1 {
		t.Fatalf("%d drops, want 1 for the conflict", cache.drops)
	}

	cache.dropFail = true
	cache.Put(ctx, key, stale)
	if r := say(b, "p4"); r.Duplicate || r.Replies != 1 {
		t.Fatalf("with an old record the cache cannot drop: %+v", r)
	}
	cache.dropFail = false

	if r := say(a, "p2"); !r.Duplicate { // a retry of p2, from the current record
		t.Fatalf("retry of p2 = %+v, want a duplicate", r)
	}

	conv, err := h.store.FindConversation(ctx, "sms:x", "+8613800000000")
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := h.store.MessagesAfter(ctx, conv.ID, 0, 100)
	if err != nil || len(msgs) != 8 {
		t.Fatalf("%d messages (%v), want 4 questions and 4 answers", len(msgs), err)
	}
	for i, m := range msgs {
		if m.Seq != int64(i+1) || (i%2 == 0) != (m.Direction == dialog.In) {
			t.Fatalf("message %d: seq %d, %s", i, m.Seq, m.Direction)
		}
	}
	if got, ok := cache.Get(ctx, key); !ok || got.Version != conv.Version {
		t.Fatalf("cache holds version %d (%v), store %d", got.Version, ok, conv.Version)
	}
}
