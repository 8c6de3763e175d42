package sqldb_test

import (
	"context"
	"reflect"
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
