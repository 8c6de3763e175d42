package handoff

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// t0 is a Monday morning.
var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newTestDesk builds a desk on a fresh memory store with a clock at t0.
func newTestDesk(t *testing.T, c Config) (*Desk, *testClock) {
	t.Helper()
	clk := &testClock{now: t0}
	d, err := NewDesk(NewMemStore(), clk.Now, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	return d, clk
}

// readyAgent registers an agent and sets them ready.
func readyAgent(t *testing.T, d *Desk, id string, max int, groups ...string) {
	t.Helper()
	addAgent(t, d, Profile{ID: id, Name: id, Role: RoleAgent, Groups: groups, MaxConcurrent: max})
}

// addAgent registers a profile and sets the agent ready.
func addAgent(t *testing.T, d *Desk, p Profile) {
	t.Helper()
	ctx := context.Background()
	if _, err := d.Register(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := d.SetState(ctx, p.ID, StateReady); err != nil {
		t.Fatal(err)
	}
}

// enqueue queues a conversation on web chat.
func enqueue(t *testing.T, d *Desk, id, group string, priority int) Entry {
	t.Helper()
	e, _, err := d.Enqueue(context.Background(), Request{ConversationID: id,
		Channel: "webchat", Address: "addr-" + id, Group: group, Priority: priority,
		Reason: ReasonAsked})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// agentOf returns an agent or fails.
func agentOf(t *testing.T, d *Desk, id string) Agent {
	t.Helper()
	a, err := d.Agent(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// entryOf returns an entry or fails.
func entryOf(t *testing.T, d *Desk, id string) Entry {
	t.Helper()
	e, err := d.Entry(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// queueIDs returns the conversation ids of the queue in order.
func queueIDs(t *testing.T, d *Desk) []string {
	t.Helper()
	q, err := d.Queue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, e := range q {
		ids = append(ids, e.ConversationID)
	}
	return ids
}

// wantErr fails unless err is target.
func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

func TestNewDesk_RejectsBadLimits(t *testing.T) {
	cases := map[string]Config{
		"negative wait":  {WaitLimit: -time.Second},
		"smoothing >1":   {Smoothing: 1.5},
		"negative grace": {Grace: -time.Second},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := NewDesk(NewMemStore(), nil, c, nil); err == nil {
				t.Fatal("want an error")
			}
		})
	}
	if _, err := NewDesk(nil, nil, Config{}, nil); err == nil {
		t.Fatal("want an error for a missing store")
	}
}
