package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"hotline/store/sqldb"
	"hotline/tickets"
)

// t0 has nanoseconds, to check that times round-trip exactly.
var t0 = time.Date(2026, 12, 3, 8, 30, 15, 123456789, time.UTC)

// fullTicket sets every field a store keeps.
func fullTicket(at time.Time) tickets.Ticket {
	c := tickets.Change{At: at, Actor: "bot", Action: tickets.ActionCreated, To: "new",
		Note: "linked to outage OG1"}
	return tickets.Ticket{
		Kind: tickets.KindFault, Category: "broadband_down", Status: tickets.StatusNew,
		Priority:       tickets.PriorityHigh,
		Owner:          tickets.Owner{Channel: "webchat", Address: "addr-1", SubscriberID: "sub-1"},
		ConversationID: "conv-1", Source: "webchat", SourceKey: "",
		Phone: "13800000000", Details: map[string]string{"service": "broadband", "since": "今天"},
		Summary: "宽带断网", Area: "north", Service: "broadband", OutageID: "OG1",
		Assignee: "agent-7", Resolution: "", Rating: 0, Risk: tickets.RiskNone,
		RespondBy: at.Add(24 * time.Hour), ResolveBy: at.Add(72 * time.Hour),
		WatchAt: at.Add(19 * time.Hour), CreatedAt: at, UpdatedAt: at,
		History: []tickets.Change{c},
	}
}

func createdEvent(t tickets.Ticket, consumers ...string) tickets.Event {
	snap := t
	snap.History = nil
	return tickets.Event{Type: tickets.EventCreated, Ticket: snap, Change: t.History[0],
		At: t.CreatedAt, Consumers: consumers}
}

func create(t *testing.T, s *sqldb.Tickets, tk tickets.Ticket, consumers ...string) tickets.Ticket {
	t.Helper()
	got, created, err := s.CreateTicket(context.Background(), tk,
		[]tickets.Event{createdEvent(tk, consumers...)})
	if err != nil || !created {
		t.Fatalf("CreateTicket = %v, %v", created, err)
	}
	return got
}

func TestTickets_CreateAndGetRoundTrip(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := sqldb.NewTickets(db)
		want := fullTicket(t0)
		want.RespondedAt = t0.Add(time.Minute + 7)
		stored := create(t, s, want)
		if stored.ID != tickets.FormatID(tickets.TicketPrefix, t0, 1) || stored.Version != 1 {
			t.Fatalf("stored id %s version %d", stored.ID, stored.Version)
		}

		got, err := s.Ticket(ctx, stored.ID)
		if err != nil {
			t.Fatal(err)
		}
		want.ID, want.Version = stored.ID, 1
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("read back:\n got %+v\nwant %+v", got, want)
		}
		if !got.ResolvedAt.IsZero() || got.ResolvedAt != (time.Time{}) {
			t.Fatalf("zero ResolvedAt read back as %v", got.ResolvedAt)
		}
		if _, err := s.Ticket(ctx, "TK-none"); !errors.Is(err, tickets.ErrNotFound) {
			t.Fatalf("missing ticket: %v, want ErrNotFound", err)
		}
	})
}

func TestTickets_TimesInGivenLocation(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		shanghai := time.FixedZone("CST", 8*3600)
		s := sqldb.NewTickets(db, sqldb.WithLocation(shanghai))
		stored := create(t, s, fullTicket(t0.In(shanghai)), tickets.ConsumerNotify)
		got, err := s.Ticket(context.Background(), stored.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.CreatedAt.Location() != shanghai || !got.CreatedAt.Equal(t0) {
			t.Fatalf("CreatedAt = %v", got.CreatedAt)
		}
		evs, err := s.PendingEvents(context.Background(), tickets.ConsumerNotify, 10)
		if err != nil || len(evs) != 1 || evs[0].Ticket.CreatedAt.Location() != shanghai {
			t.Fatalf("PendingEvents = %+v, %v", evs, err)
		}
	})
}

func TestTickets_SourceKeyMakesCreationIdempotent(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := sqldb.NewTickets(db)
		tk := fullTicket(t0)
		tk.SourceKey = "conv-1/form-1"
		first := create(t, s, tk, tickets.ConsumerNotify)

		again, created, err := s.CreateTicket(ctx, tk, []tickets.Event{createdEvent(tk, tickets.ConsumerNotify)})
		if err != nil || created || again.ID != first.ID || len(again.History) != 1 {
			t.Fatalf("second CreateTicket = %s, %v, %v; want %s, false", again.ID, created, err, first.ID)
		}
		evs, _ := s.PendingEvents(ctx, tickets.ConsumerNotify, 10)
		if len(evs) != 1 {
			t.Fatalf("%d events, want 1: the repeat must store nothing", len(evs))
		}
	})
}

func TestTickets_ConcurrentCreatorsMakeOneTicket(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		stores := []*sqldb.Tickets{sqldb.NewTickets(db), sqldb.NewTickets(db)} // two instances
		tk := fullTicket(t0)
		tk.SourceKey = "race"
		ids := make([]string, 16)
		created := make([]bool, 16)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Go(func() {
				got, ok, err := stores[i%2].CreateTicket(ctx, tk, []tickets.Event{createdEvent(tk)})
				if err != nil {
					t.Error(err)
				}
				ids[i], created[i] = got.ID, ok
			})
		}
		wg.Wait()

		winners := 0
		for i := range ids {
			if created[i] {
				winners++
			}
			if ids[i] != ids[0] {
				t.Fatalf("creator %d got %s, creator 0 got %s", i, ids[i], ids[0])
			}
		}
		page, err := stores[0].ListTickets(ctx, tickets.Filter{})
		if winners != 1 || err != nil || len(page.Tickets) != 1 {
			t.Fatalf("%d created, %d stored (%v); want exactly one", winners, len(page.Tickets), err)
		}
	})
}

func TestTickets_UpdateChecksVersion(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := sqldb.NewTickets(db)
		tk := create(t, s, fullTicket(t0))

		changed := tk
		changed.Status, changed.Assignee, changed.UpdatedAt = tickets.StatusInProgress, "agent-9", t0.Add(time.Hour)
		c := tickets.Change{At: changed.UpdatedAt, Actor: "agent-9", Action: tickets.ActionStatus,
			From: "new", To: "in_progress"}
		if err := s.UpdateTicket(ctx, changed, []tickets.Change{c}, nil, nil); err != nil {
			t.Fatal(err)
		}
		// The same version again is stale now.
		if err := s.UpdateTicket(ctx, changed, []tickets.Change{c}, nil, nil); !errors.Is(err, tickets.ErrConflict) {
			t.Fatalf("stale update: %v, want ErrConflict", err)
		}

		got, err := s.Ticket(ctx, tk.ID)
		if err != nil || got.Version != 2 || got.Status != tickets.StatusInProgress || got.Assignee != "agent-9" {
			t.Fatalf("after update: %+v, %v", got, err)
		}
		if len(got.History) != 2 || got.History[1] != c {
			t.Fatalf("history = %+v", got.History)
		}
	})
}

func TestTickets_IdempotencyStoredWithUpdate(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := sqldb.NewTickets(db)
		tk := create(t, s, fullTicket(t0))
		rec := tickets.Idempotency{Key: "crm:k1", RequestHash: "h1", Status: 200,
			Body: []byte{0, 1, 0xff, '{'}, At: t0}
		if err := s.UpdateTicket(ctx, tk, nil, nil, &rec); err != nil {
			t.Fatal(err)
		}
		got, err := s.Idempotency(ctx, "crm:k1")
		if err != nil || !reflect.DeepEqual(got, rec) {
			t.Fatalf("Idempotency = %+v, %v; want %+v", got, err, rec)
		}

		// A reused key fails the whole update: the ticket stays as it was.
		tk.Version, tk.Assignee = 2, "someone"
		if err := s.UpdateTicket(ctx, tk, nil, nil, &rec); !errors.Is(err, tickets.ErrConflict) {
			t.Fatalf("reused key: %v, want ErrConflict", err)
		}
		after, _ := s.Ticket(ctx, tk.ID)
		if after.Version != 2 || after.Assignee == "someone" {
			t.Fatalf("ticket changed by a failed update: %+v", after)
		}
		if _, err := s.Idempotency(ctx, "nope"); !errors.Is(err, tickets.ErrNotFound) {
			t.Fatalf("missing key: %v, want ErrNotFound", err)
		}
	})
}

func TestTickets_IDsUniqueUnderConcurrency(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		stores := []*sqldb.Tickets{sqldb.NewTickets(db), sqldb.NewTickets(db), sqldb.NewTickets(db)}
		const n = 300
		ids := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				tk := fullTicket(t0)
				got, _, err := stores[i%3].CreateTicket(ctx, tk, nil)
				if err != nil {
					t.Error(err)
				}
				ids[i] = got.ID
			})
		}
		wg.Wait()
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				t.Fatalf("id %s given twice", id)
			}
			seen[id] = true
		}
	})
}

func TestTickets_DueTickets(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := sqldb.NewTickets(db)
		var made []tickets.Ticket
		for i, watch := range []time.Duration{3 * time.Hour, time.Hour, 0, 2 * time.Hour, 5 * time.Hour} {
			tk := fullTicket(t0)
			tk.WatchAt = time.Time{}
			if watch != 0 {
				tk.WatchAt = t0.Add(watch)
			}
			if i == 3 {
				tk.Status = tickets.StatusResolved // due but no longer open
			}
			made = append(made, create(t, s, tk))
		}
		due, err := s.DueTickets(ctx, t0.Add(3*time.Hour), 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(due); fmt.Sprint(got) != fmt.Sprint([]string{made[1].ID, made[0].ID}) {
			t.Fatalf("due = %v", got)
		}
		if due, _ := s.DueTickets(ctx, t0.Add(10*time.Hour), 1); len(due) != 1 || due[0].ID != made[1].ID {
			t.Fatalf("limit 1: %v", ids(due))
		}
	})
}

func ids(list []tickets.Ticket) []string {
	out := make([]string, len(list))
	for i, t := range list {
		out[i] = t.ID
	}
	return out
}
