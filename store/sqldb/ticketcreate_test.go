package sqldb_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"hotline/store/sqldb"
	"hotline/tickets"
)

// TestTickets_CreateKeepsEveryHistoryEntryAndEvent creates tickets with
// two history entries and two events, once with the same consumers for
// both events and once with different ones, and checks that everything is
// stored in order and queued for each consumer.
func TestTickets_CreateKeepsEveryHistoryEntryAndEvent(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		s := sqldb.NewTickets(db)
		same := createTwoEvents(t, s, []string{tickets.ConsumerNotify, tickets.ConsumerCRM},
			[]string{tickets.ConsumerNotify, tickets.ConsumerCRM})
		mixed := createTwoEvents(t, s, []string{tickets.ConsumerCRM}, nil)

		wantPending(t, s, tickets.ConsumerNotify, []string{same, same})
		wantPending(t, s, tickets.ConsumerCRM, []string{same, same, mixed})
	})
}

// createTwoEvents creates a ticket whose two events go to the given
// consumers, checks its history and returns its id.
func createTwoEvents(t *testing.T, s *sqldb.Tickets, first, second []string) string {
	t.Helper()
	ctx := context.Background()
	tk := fullTicket(t0)
	note := tickets.Change{At: t0.Add(time.Second), Actor: "bot", Action: tickets.ActionNote, Note: "second"}
	tk.History = append(tk.History, note)
	created, note2 := createdEvent(tk, first...), createdEvent(tk, second...)
	note2.Type, note2.Change = tickets.EventNote, note
	got, ok, err := s.CreateTicket(ctx, tk, []tickets.Event{created, note2})
	if err != nil || !ok {
		t.Fatalf("CreateTicket = %v, %v", ok, err)
	}
	read, err := s.Ticket(ctx, got.ID)
	if err != nil || !reflect.DeepEqual(read.History, tk.History) {
		t.Fatalf("history = %+v, %v; want %+v", read.History, err, tk.History)
	}
	return got.ID
}

// wantPending checks the tickets of a consumer's pending events, in order.
func wantPending(t *testing.T, s *sqldb.Tickets, consumer string, want []string) {
	t.Helper()
	evs, err := s.PendingEvents(context.Background(), consumer, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(evs))
	for i, e := range evs {
		got[i] = e.Ticket.ID
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s pending = %v, want %v", consumer, got, want)
	}
	if len(evs) == 2 && (evs[0].Type != tickets.EventCreated || evs[1].Type != tickets.EventNote) {
		t.Fatalf("%s event order = %s, %s", consumer, evs[0].Type, evs[1].Type)
	}
}

// TestTickets_ConcurrentCreationsBatchCorrectly opens many tickets at
// once, so that they share batches: pairs with the same source key make
// one ticket each, tickets without a key are all made, and every ticket
// made has its history and one pending event.
func TestTickets_ConcurrentCreationsBatchCorrectly(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		s := sqldb.NewTickets(db)
		const pairs, loose = 20, 10
		ids := make([]string, 2*pairs+loose)
		created := make([]bool, len(ids))
		var wg sync.WaitGroup
		for i := range ids {
			wg.Go(func() {
				tk := fullTicket(t0)
				tk.SourceKey = ""
				if i < 2*pairs {
					tk.SourceKey = fmt.Sprint("conv/form-", i/2)
				}
				got, ok, err := s.CreateTicket(context.Background(), tk,
					[]tickets.Event{createdEvent(tk, tickets.ConsumerCRM)})
				if err != nil {
					t.Errorf("CreateTicket %d: %v", i, err)
				}
				ids[i], created[i] = got.ID, ok
			})
		}
		wg.Wait()

		made := map[string]bool{}
		for i := 0; i < 2*pairs; i += 2 {
			if ids[i] != ids[i+1] || created[i] == created[i+1] {
				t.Errorf("pair %d: ids %s and %s, created %v and %v; want one ticket made once",
					i/2, ids[i], ids[i+1], created[i], created[i+1])
			}
		}
		for i, id := range ids {
			if created[i] {
				made[id] = true
			}
		}
		if len(made) != pairs+loose {
			t.Fatalf("%d tickets made, want %d", len(made), pairs+loose)
		}
		for id := range made {
			tk, err := s.Ticket(context.Background(), id)
			if err != nil || len(tk.History) != 1 {
				t.Errorf("ticket %s: %d history entries, %v", id, len(tk.History), err)
			}
		}
		evs, err := s.PendingEvents(context.Background(), tickets.ConsumerCRM, 1000)
		if err != nil || len(evs) != len(made) {
			t.Errorf("%d pending events (%v), want one per ticket made: %d", len(evs), err, len(made))
		}
	})
}
