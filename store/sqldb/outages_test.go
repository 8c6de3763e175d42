package sqldb_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"hotline/store/sqldb"
	"hotline/tickets"
)

func TestTickets_Outages(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := sqldb.NewTickets(db)
		o := tickets.Outage{Service: "broadband", Area: "north", Description: "fibre cut",
			ExpectedFix: t0.Add(5 * time.Hour), Open: true, DeclaredAt: t0, UpdatedAt: t0}
		first, err := s.CreateOutage(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		o.DeclaredAt = t0.Add(time.Minute)
		second, err := s.CreateOutage(ctx, o)
		if err != nil || first.ID == second.ID || first.Version != 1 {
			t.Fatalf("outages %s and %s (%v)", first.ID, second.ID, err)
		}

		got, err := s.Outage(ctx, first.ID)
		if err != nil || !reflect.DeepEqual(got, first) {
			t.Fatalf("Outage = %+v, %v; want %+v", got, err, first)
		}
		if _, err := s.Outage(ctx, "OG-none"); !errors.Is(err, tickets.ErrNotFound) {
			t.Fatalf("missing outage: %v", err)
		}

		// Close the first, with an event for its linked open ticket.
		linked := fullTicket(t0)
		linked.OutageID = first.ID
		lt := create(t, s, linked)
		done := fullTicket(t0)
		done.OutageID, done.Status = first.ID, tickets.StatusClosed
		create(t, s, done)
		lts, err := s.LinkedTickets(ctx, first.ID)
		if err != nil || len(lts) != 1 || lts[0].ID != lt.ID {
			t.Fatalf("LinkedTickets = %v, %v", ids(lts), err)
		}

		closed := first
		closed.Open, closed.Note, closed.ClosedAt, closed.UpdatedAt = false, "fixed", t0.Add(time.Hour), t0.Add(time.Hour)
		c := tickets.Change{At: closed.UpdatedAt, Actor: "system", Action: tickets.ActionOutage,
			To: string(tickets.EventOutageClosed), Note: closed.ID}
		e := tickets.Event{Type: tickets.EventOutageClosed, Ticket: lt, Change: c, Outage: &closed,
			At: c.At, Consumers: []string{tickets.ConsumerNotify}}
		if err := s.UpdateOutage(ctx, closed, []tickets.Event{e}); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateOutage(ctx, closed, nil); !errors.Is(err, tickets.ErrConflict) {
			t.Fatalf("stale outage update: %v, want ErrConflict", err)
		}
		evs, _ := s.PendingEvents(ctx, tickets.ConsumerNotify, 10)
		if len(evs) != 1 || evs[0].Outage == nil || evs[0].Outage.Note != "fixed" ||
			!evs[0].Outage.ClosedAt.Equal(closed.ClosedAt) {
			t.Fatalf("outage event = %+v", evs)
		}

		open, err := s.Outages(ctx, false, 10)
		if err != nil || len(open) != 1 || open[0].ID != second.ID {
			t.Fatalf("open outages = %+v, %v", open, err)
		}
		all, _ := s.Outages(ctx, true, 10)
		if len(all) != 2 || all[0].ID != second.ID || all[1].Version != 2 || all[1].Open {
			t.Fatalf("all outages = %+v", all)
		}
	})
}
