package sqldb_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"hotline/store/sqldb"
	"hotline/tickets"
)

func seqs(evs []tickets.Event) []int64 {
	out := make([]int64, len(evs))
	for i, e := range evs {
		out[i] = e.Seq
	}
	return out
}

func TestTickets_PendingEventsPerConsumer(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := sqldb.NewTickets(db)
		a := create(t, s, fullTicket(t0), tickets.ConsumerNotify, tickets.ConsumerCRM)
		b := create(t, s, fullTicket(t0), tickets.ConsumerCRM)

		changed := a
		changed.UpdatedAt = t0.Add(time.Hour)
		c := tickets.Change{At: changed.UpdatedAt, Actor: "agent", Action: tickets.ActionNote, Note: "called"}
		e := tickets.Event{Type: tickets.EventNote, Ticket: changed, Change: c, At: c.At,
			Consumers: []string{tickets.ConsumerNotify}}
		if err := s.UpdateTicket(ctx, changed, []tickets.Change{c}, []tickets.Event{e}, nil); err != nil {
			t.Fatal(err)
		}

		notify, err := s.PendingEvents(ctx, tickets.ConsumerNotify, 10)
		if err != nil || len(notify) != 2 || notify[0].Seq >= notify[1].Seq {
			t.Fatalf("notify events = %v, %v", seqs(notify), err)
		}
		first := notify[0]
		if first.Type != tickets.EventCreated || first.Ticket.ID != a.ID || first.Ticket.Version != 1 ||
			!first.At.Equal(t0) || first.Change != a.History[0] ||
			!reflect.DeepEqual(first.Consumers, []string{tickets.ConsumerNotify, tickets.ConsumerCRM}) {
			t.Fatalf("first event = %+v", first)
		}
		if !reflect.DeepEqual(first.Ticket.Details, a.Details) || !first.Ticket.RespondBy.Equal(a.RespondBy) {
			t.Fatalf("snapshot = %+v", first.Ticket)
		}
		if notify[1].Type != tickets.EventNote || notify[1].Ticket.Version != 2 || notify[1].Change != c {
			t.Fatalf("second event = %+v", notify[1])
		}

		crm, _ := s.PendingEvents(ctx, tickets.ConsumerCRM, 10)
		if len(crm) != 2 || crm[0].Ticket.ID != a.ID || crm[1].Ticket.ID != b.ID {
			t.Fatalf("crm events = %+v", crm)
		}
		if one, _ := s.PendingEvents(ctx, tickets.ConsumerCRM, 1); len(one) != 1 || one[0].Seq != crm[0].Seq {
			t.Fatalf("limit 1 = %v", seqs(one))
		}

		// Handled by notify: gone for notify only.
		if err := s.EventsHandled(ctx, tickets.ConsumerNotify, seqs(notify)); err != nil {
			t.Fatal(err)
		}
		if left, _ := s.PendingEvents(ctx, tickets.ConsumerNotify, 10); len(left) != 0 {
			t.Fatalf("notify still has %v", seqs(left))
		}
		if left, _ := s.PendingEvents(ctx, tickets.ConsumerCRM, 10); len(left) != 2 {
			t.Fatalf("crm has %v, want both still", seqs(left))
		}
	})
}
