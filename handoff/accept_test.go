package handoff

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

func TestDesk_Accept(t *testing.T) {
	ctx := context.Background()

	t.Run("own group is accepted", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		readyAgent(t, d, "a1", 2, "billing")
		enqueue(t, d, "c1", "billing", PriorityNormal)
		e, err := d.Accept(ctx, "a1", "c1")
		if err != nil || e.AgentID != "a1" || e.Status != StatusAssigned {
			t.Fatalf("accept: %+v, %v", e, err)
		}
		if a := agentOf(t, d, "a1"); !a.Holds("c1") || a.State != StateReady {
			t.Fatalf("agent = %+v, want ready holding c1", a)
		}
	})

	t.Run("another group is refused", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		readyAgent(t, d, "a1", 2, "mobile")
		enqueue(t, d, "c1", "billing", PriorityNormal)
		_, err := d.Accept(ctx, "a1", "c1")
		wantErr(t, err, ErrNotInGroup)
		if e := entryOf(t, d, "c1"); e.Status != StatusWaiting {
			t.Fatalf("entry = %+v, want still waiting", e)
		}
	})

	t.Run("a supervisor may pick any group", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		addAgent(t, d, Profile{ID: "sup", Role: RoleSupervisor, Groups: []string{"mobile"},
			MaxConcurrent: 1})
		enqueue(t, d, "c1", "billing", PriorityNormal)
		if _, err := d.Accept(ctx, "sup", "c1"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("full, on break or unknown is refused", func(t *testing.T) {
		d, _ := newTestDesk(t, Config{})
		readyAgent(t, d, "full", 1)
		readyAgent(t, d, "resting", 1)
		enqueue(t, d, "c1", "", PriorityNormal)
		enqueue(t, d, "c2", "", PriorityNormal)
		if _, err := d.Accept(ctx, "full", "c1"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.SetState(ctx, "resting", StateBreak); err != nil {
			t.Fatal(err)
		}
		_, err := d.Accept(ctx, "full", "c2")
		wantErr(t, err, ErrAtCapacity)
		_, err = d.Accept(ctx, "resting", "c2")
		wantErr(t, err, ErrUnavailable)
		_, err = d.Accept(ctx, "nobody", "c2")
		wantErr(t, err, ErrNotFound)
		_, err = d.Accept(ctx, "resting", "no-such")
		wantErr(t, err, ErrNotFound)
	})
}

func TestDesk_Accept_Race(t *testing.T) {
	for _, n := range []int{2, 50} {
		t.Run(fmt.Sprintf("%d agents", n), func(t *testing.T) {
			d, _ := newTestDesk(t, Config{})
			for i := range n {
				readyAgent(t, d, fmt.Sprintf("a%02d", i), 1)
			}
			enqueue(t, d, "c1", "", PriorityNormal)
			winners, taken := raceAccept(t, d, n)
			if len(winners) != 1 || taken != n-1 {
				t.Fatalf("%d winners, %d ErrTaken; want 1 and %d", len(winners), taken, n-1)
			}
			e := entryOf(t, d, "c1")
			if e.AgentID != winners[0] {
				t.Fatalf("entry held by %s, winner %s", e.AgentID, winners[0])
			}
			held := 0
			for i := range n {
				held += len(agentOf(t, d, fmt.Sprintf("a%02d", i)).Conversations)
			}
			if held != 1 {
				t.Fatalf("%d agents hold the conversation, want 1", held)
			}
		})
	}
}

// raceAccept has n agents accept c1 at once and returns the winners and
// how many got ErrTaken.
func raceAccept(t *testing.T, d *Desk, n int) (winners []string, taken int) {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		id := fmt.Sprintf("a%02d", i)
		wg.Go(func() {
			<-start
			_, err := d.Accept(context.Background(), id, "c1")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				winners = append(winners, id)
			case errors.Is(err, ErrTaken):
				taken++
			default:
				t.Errorf("agent %s: %v", id, err)
			}
		})
	}
	close(start)
	wg.Wait()
	return winners, taken
}
