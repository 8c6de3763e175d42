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

// TestTickets_EventSnapshotRoundTrip checks that an event's ticket comes
// back whole, every field as it was written.
func TestTickets_EventSnapshotRoundTrip(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		s := sqldb.NewTickets(db)
		tk := fullTicket(t0)
		tk.RespondedAt, tk.ResolvedAt = t0.Add(time.Hour), t0.Add(2*time.Hour)
		tk.Resolution, tk.Rating, tk.Risk = "已修复", 4, tickets.RiskAtRisk
		made := create(t, s, tk, tickets.ConsumerCRM)

		evs, err := s.PendingEvents(context.Background(), tickets.ConsumerCRM, 10)
		if err != nil || len(evs) != 1 {
			t.Fatalf("events = %d, %v", len(evs), err)
		}
		want := made
		want.History = nil
		if got := evs[0].Ticket; !sameTicket(got, want) {
			t.Errorf("snapshot\n got %+v\nwant %+v", got, want)
		}
	})
}

// TestTickets_ReadsEventsOfTheFirstForm reads an event stored in the
// first payload form, the plain JSON of the tickets types.
func TestTickets_ReadsEventsOfTheFirstForm(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		old := `{"ticket":{"ID":"TK20261203-000009","Kind":"fault","Status":"new","Priority":2,` +
			`"Owner":{"Channel":"webchat","Address":"a-1","SubscriberID":""},"Details":{"k":"v"},` +
			`"CreatedAt":"2026-12-03T08:30:15Z","Version":1},` +
			`"change":{"At":"2026-12-03T08:30:15Z","Actor":"bot","Action":"created","To":"new"},` +
			`"consumers":["crm"]}`
		w := db.Writer()
		if _, err := w.Exec(db.Rebind(`INSERT INTO ticket_events (seq, ticket_id, type, payload, at)
			VALUES (900, 'TK20261203-000009', 'ticket.created', ?, 1)`), old); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Exec("INSERT INTO ticket_outbox (consumer, seq) VALUES ('crm', 900)"); err != nil {
			t.Fatal(err)
		}
		evs, err := sqldb.NewTickets(db).PendingEvents(context.Background(), tickets.ConsumerCRM, 10)
		if err != nil || len(evs) != 1 {
			t.Fatalf("events = %d, %v", len(evs), err)
		}
		e := evs[0]
		if e.Ticket.ID != "TK20261203-000009" || e.Ticket.Owner.Address != "a-1" ||
			e.Ticket.Details["k"] != "v" || e.Change.Actor != "bot" || !e.Ticket.CreatedAt.Equal(t0.Truncate(time.Second)) {
			t.Errorf("old event = %+v", e)
		}
	})
}

// sameTicket compares tickets field by field, times by instant.
func sameTicket(a, b tickets.Ticket) bool {
	times := func(t tickets.Ticket) []time.Time {
		return []time.Time{t.RespondBy, t.ResolveBy, t.RespondedAt, t.ResolvedAt, t.WatchAt, t.CreatedAt, t.UpdatedAt}
	}
	ta, tb := times(a), times(b)
	for i := range ta {
		if !ta[i].Equal(tb[i]) {
			return false
		}
	}
	for _, t := range []*tickets.Ticket{&a, &b} {
		t.RespondBy, t.ResolveBy, t.RespondedAt, t.ResolvedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		t.WatchAt, t.CreatedAt, t.UpdatedAt = time.Time{}, time.Time{}, time.Time{}
	}
	return reflect.DeepEqual(a, b)
}
