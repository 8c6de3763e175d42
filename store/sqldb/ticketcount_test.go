package sqldb_test

import (
	"context"
	"testing"
	"time"

	"hotline/store/sqldb"
	"hotline/tickets"
)

func TestTicketCount_OpenByKindStatusAndRisk(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		s := sqldb.NewTickets(db)
		cases := []struct {
			kind   tickets.Kind
			status tickets.Status
			risk   tickets.Risk
		}{
			{tickets.KindFault, tickets.StatusNew, tickets.RiskNone},
			{tickets.KindFault, tickets.StatusNew, tickets.RiskNone},
			{tickets.KindFault, tickets.StatusNew, tickets.RiskBreached},
			{tickets.KindComplaint, tickets.StatusInProgress, tickets.RiskAtRisk},
			{tickets.KindRequest, tickets.StatusReopened, tickets.RiskNone},
			// Not open: never counted.
			{tickets.KindFault, tickets.StatusResolved, tickets.RiskBreached},
			{tickets.KindFault, tickets.StatusClosed, tickets.RiskNone},
			{tickets.KindRequest, tickets.StatusCancelled, tickets.RiskNone},
		}
		for i, c := range cases {
			tk := fullTicket(t0.Add(time.Duration(i) * time.Minute))
			tk.Kind, tk.Status, tk.Risk = c.kind, c.status, c.risk
			create(t, s, tk)
		}

		got, err := s.CountOpenTickets(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := map[sqldb.TicketCount]bool{
			{Kind: tickets.KindFault, Status: tickets.StatusNew, Risk: tickets.RiskNone, N: 2}:              true,
			{Kind: tickets.KindFault, Status: tickets.StatusNew, Risk: tickets.RiskBreached, N: 1}:          true,
			{Kind: tickets.KindComplaint, Status: tickets.StatusInProgress, Risk: tickets.RiskAtRisk, N: 1}: true,
			{Kind: tickets.KindRequest, Status: tickets.StatusReopened, Risk: tickets.RiskNone, N: 1}:       true,
		}
		if len(got) != len(want) {
			t.Fatalf("counts = %+v, want %d groups", got, len(want))
		}
		for _, c := range got {
			if !want[c] {
				t.Errorf("unexpected count %+v; want %v", c, want)
			}
		}
	})
}

func TestTicketCount_EmptyStore(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		got, err := sqldb.NewTickets(db).CountOpenTickets(context.Background())
		if err != nil || len(got) != 0 {
			t.Fatalf("empty store: %+v, %v; want nothing", got, err)
		}
	})
}
