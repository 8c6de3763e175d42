package handoff

import (
	"context"
	"testing"
)

func TestCanMove(t *testing.T) {
	cases := []struct {
		from, to State
		want     bool
	}{
		{StateOffline, StateReady, true},
		{StateOffline, StateBreak, false},
		{StateReady, StateBreak, true},
		{StateReady, StateOffline, true},
		{StateBreak, StateReady, true},
		{StateWrapUp, StateReady, true},
		{StateBusy, StateBreak, true},
		{StateReady, StateBusy, false},
		{StateReady, StateWrapUp, false},
		{StateReady, StateReady, false},
	}
	for _, c := range cases {
		if got := CanMove(c.from, c.to); got != c.want {
			t.Errorf("CanMove(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

func TestDesk_SetState(t *testing.T) {
	ctx := context.Background()

	t.Run("moves an agent may not choose are refused", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		if _, err := d.Register(ctx, Profile{ID: "a1", Role: RoleAgent, MaxConcurrent: 1}); err != nil {
			t.Fatal(err)
		}
		_, err := d.SetState(ctx, "a1", StateBreak)
		wantErr(t, err, ErrMove)
		_, err = d.SetState(ctx, "a1", StateBusy)
		wantErr(t, err, ErrMove)
		_, err = d.SetState(ctx, "a1", StateWrapUp)
		wantErr(t, err, ErrMove)
		if a := agentOf(t, d, "a1"); a.State != StateOffline {
			t.Fatalf("state = %s after refused moves, want offline", a.State)
		}
		_, err = d.SetState(ctx, "nobody", StateReady)
		wantErr(t, err, ErrNotFound)
	})

	t.Run("offline while holding a conversation is refused", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		readyAgent(t, d, "a1", 2)
		enqueue(t, d, "c1", "", PriorityNormal)
		if _, err := d.Accept(ctx, "a1", "c1"); err != nil {
			t.Fatal(err)
		}
		_, err := d.SetState(ctx, "a1", StateOffline)
		wantErr(t, err, ErrHasConversations)
	})

	t.Run("back from break at capacity is busy", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		readyAgent(t, d, "a1", 1)
		enqueue(t, d, "c1", "", PriorityNormal)
		if _, err := d.Accept(ctx, "a1", "c1"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.SetState(ctx, "a1", StateBreak); err != nil {
			t.Fatal(err)
		}
		a, err := d.SetState(ctx, "a1", StateReady)
		if err != nil || a.State != StateBusy {
			t.Fatalf("state = %s, %v; want busy", a.State, err)
		}
		if a, err := d.SetState(ctx, "a1", StateReady); err != nil || a.State != StateBusy {
			t.Fatalf("ready while busy = %s, %v; want busy unchanged", a.State, err)
		}
	})

	t.Run("a bad profile is refused", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		_, err := d.Register(ctx, Profile{ID: "a1", Role: RoleAgent})
		wantErr(t, err, ErrInvalid)
		_, err = d.Register(ctx, Profile{ID: "a1", Role: "boss", MaxConcurrent: 1})
		wantErr(t, err, ErrInvalid)
	})
}
