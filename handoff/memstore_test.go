package handoff

import (
	"context"
	"testing"
)

func TestMemStore_Commit(t *testing.T) {
	ctx := context.Background()
	m := NewMemStore()
	e := Entry{ConversationID: "c1", Status: StatusWaiting}
	if err := m.Commit(ctx, Batch{Put: []Entry{e}}); err != nil {
		t.Fatal(err)
	}

	t.Run("a second create conflicts", func(t *testing.T) {
		wantErr(t, m.Commit(ctx, Batch{Put: []Entry{e}}), ErrConflict)
	})

	t.Run("a failed batch changes nothing", func(t *testing.T) {
		a := Agent{Profile: Profile{ID: "a1", MaxConcurrent: 1}}
		stale := Entry{ConversationID: "c1", Status: StatusAssigned, Version: 7}
		wantErr(t, m.Commit(ctx, Batch{Put: []Entry{stale}, Agents: []Agent{a}}), ErrConflict)
		if _, err := m.Agent(ctx, "a1"); err == nil {
			t.Fatal("agent stored by a batch that conflicted")
		}
		if got, _ := m.Entry(ctx, "c1"); got.Status != StatusWaiting || got.Version != 1 {
			t.Fatalf("entry = %+v, want unchanged at version 1", got)
		}
	})

	t.Run("reads share nothing with the store", func(t *testing.T) {
		a := Agent{Profile: Profile{ID: "a2", Groups: []string{"mobile"}, MaxConcurrent: 1}}
		if err := m.Commit(ctx, Batch{Agents: []Agent{a}}); err != nil {
			t.Fatal(err)
		}
		got, _ := m.Agent(ctx, "a2")
		got.Groups[0] = "changed"
		again, _ := m.Agent(ctx, "a2")
		if again.Groups[0] != "mobile" || again.Version != 1 {
			t.Fatalf("agent = %+v, want mobile at version 1", again)
		}
	})

	t.Run("stats versions", func(t *testing.T) {
		s := Stats{Samples: 1}
		if err := m.Commit(ctx, Batch{Stats: &s}); err != nil {
			t.Fatal(err)
		}
		wantErr(t, m.Commit(ctx, Batch{Stats: &s}), ErrConflict)
	})
}
