package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"hotline/store/sqldb"
	"hotline/tickets"
)

// listFixture stores tickets that differ in every filtered field, one
// minute apart, and returns them oldest first.
func listFixture(t *testing.T, s *sqldb.Tickets) []tickets.Ticket {
	t.Helper()
	kinds := []tickets.Kind{tickets.KindFault, tickets.KindComplaint, tickets.KindRequest}
	statuses := []tickets.Status{tickets.StatusNew, tickets.StatusInProgress, tickets.StatusResolved,
		tickets.StatusClosed, tickets.StatusCancelled}
	var out []tickets.Ticket
	for i := range 12 {
		tk := fullTicket(t0.Add(time.Duration(i) * time.Minute))
		tk.Kind, tk.Status = kinds[i%3], statuses[i%5]
		tk.Phone = fmt.Sprint("1380000000", i%2)
		tk.Owner = tickets.Owner{Channel: "webchat", Address: fmt.Sprint("addr-", i%4)}
		if i%4 == 0 {
			tk.Owner.SubscriberID = "sub-0"
		}
		if i%3 == 1 {
			tk.Risk = tickets.RiskBreached
		}
		out = append(out, create(t, s, tk))
	}
	return out
}

func TestTickets_ListFilters(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		s := sqldb.NewTickets(db)
		all := listFixture(t, s)
		yes, no := true, false
		cases := []struct {
			name string
			f    tickets.Filter
			keep func(tickets.Ticket) bool
		}{
			{"everything", tickets.Filter{}, func(tickets.Ticket) bool { return true }},
			{"status list", tickets.Filter{Status: []tickets.Status{tickets.StatusNew, tickets.StatusClosed}},
				func(x tickets.Ticket) bool { return x.Status == tickets.StatusNew || x.Status == tickets.StatusClosed }},
			{"kind", tickets.Filter{Kind: tickets.KindComplaint},
				func(x tickets.Ticket) bool { return x.Kind == tickets.KindComplaint }},
			{"phone", tickets.Filter{Phone: "13800000001"},
				func(x tickets.Ticket) bool { return x.Phone == "13800000001" }},
			{"breached", tickets.Filter{Breached: &yes},
				func(x tickets.Ticket) bool { return x.Risk == tickets.RiskBreached }},
			{"not breached", tickets.Filter{Breached: &no},
				func(x tickets.Ticket) bool { return x.Risk != tickets.RiskBreached }},
			{"created range", tickets.Filter{CreatedFrom: all[3].CreatedAt, CreatedTo: all[7].CreatedAt},
				func(x tickets.Ticket) bool {
					return !x.CreatedAt.Before(all[3].CreatedAt) && x.CreatedAt.Before(all[7].CreatedAt)
				}},
			{"owner by subscriber", tickets.Filter{Owner: &tickets.Owner{Channel: "other", SubscriberID: "sub-0"}},
				func(x tickets.Ticket) bool { return x.Owner.SubscriberID == "sub-0" }},
			{"owner by address", tickets.Filter{Owner: &tickets.Owner{Channel: "webchat", Address: "addr-1"}},
				func(x tickets.Ticket) bool { return x.Owner.Address == "addr-1" }},
			{"open only", tickets.Filter{OpenOnly: true}, tickets.Ticket.Open},
			{"combined", tickets.Filter{Kind: tickets.KindFault, OpenOnly: true, Phone: "13800000000"},
				func(x tickets.Ticket) bool {
					return x.Kind == tickets.KindFault && x.Open() && x.Phone == "13800000000"
				}},
		}
		for _, c := range cases {
			var want []string
			for i := len(all) - 1; i >= 0; i-- {
				if c.keep(all[i]) {
					want = append(want, all[i].ID)
				}
			}
			f := c.f
			f.Limit = 100
			p, err := s.ListTickets(context.Background(), f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if fmt.Sprint(ids(p.Tickets)) != fmt.Sprint(want) || p.Next != "" {
				t.Errorf("%s: got %v next %q, want %v", c.name, ids(p.Tickets), p.Next, want)
			}
		}
	})
}

func TestTickets_ListPagesWithoutGapsOrRepeats(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := sqldb.NewTickets(db)
		// Pairs share a creation time, so the id breaks the tie.
		want := map[string]bool{}
		for i := range 45 {
			tk := fullTicket(t0.Add(time.Duration(i/2) * time.Second))
			want[create(t, s, tk).ID] = true
		}

		seen := map[string]bool{}
		f := tickets.Filter{Limit: 7}
		var last tickets.Ticket
		for pages := 0; ; pages++ {
			p, err := s.ListTickets(ctx, f)
			if err != nil || pages > 10 {
				t.Fatalf("page %d: %v", pages, err)
			}
			for _, tk := range p.Tickets {
				if seen[tk.ID] {
					t.Fatalf("%s listed twice", tk.ID)
				}
				if last.ID != "" && (tk.CreatedAt.After(last.CreatedAt) ||
					tk.CreatedAt.Equal(last.CreatedAt) && tk.ID > last.ID) {
					t.Fatalf("%s after %s: not newest first", tk.ID, last.ID)
				}
				seen[tk.ID], last = true, tk
			}
			if p.Next == "" {
				break
			}
			f.Cursor = p.Next
		}
		if len(seen) != len(want) {
			t.Fatalf("listed %d of %d tickets", len(seen), len(want))
		}
	})
}

func TestTickets_ListLimits(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := sqldb.NewTickets(db)
		for range 105 {
			create(t, s, fullTicket(t0))
		}
		if p, _ := s.ListTickets(ctx, tickets.Filter{}); len(p.Tickets) != 20 || p.Next == "" {
			t.Fatalf("default page: %d tickets, next %q", len(p.Tickets), p.Next)
		}
		if p, _ := s.ListTickets(ctx, tickets.Filter{Limit: 500}); len(p.Tickets) != 100 {
			t.Fatalf("page of 500: %d tickets, want the maximum 100", len(p.Tickets))
		}
		_, err := s.ListTickets(ctx, tickets.Filter{Cursor: "not a cursor!"})
		if !errors.Is(err, tickets.ErrInvalid) {
			t.Fatalf("bad cursor: %v, want ErrInvalid", err)
		}
	})
}
