package tickets_test

import (
	"context"
	"testing"
	"time"

	"hotline/tickets"
)

// TestScan_MarksAtRiskThenBreached runs the scanner as the deadlines of a
// request come and go: at risk after 80% of the 24 hours to respond,
// breached after them, nothing more once resolved; each change is in the
// history and becomes an event for the CRM.
func TestScan_MarksAtRiskThenBreached(t *testing.T) {
	store := relayTestStore(t)
	clock := &testClock{now: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)}
	svc := tickets.NewService(tickets.Config{Store: store, Policy: tickets.DefaultPolicy(),
		Now: clock.Now, CRM: true})
	ctx := context.Background()
	tk, _, err := svc.Open(ctx, tickets.Draft{Kind: tickets.KindRequest, Source: "api", Actor: "api"})
	if err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		advance time.Duration
		changed int
		risk    tickets.Risk
	}{
		{18 * time.Hour, 0, tickets.RiskNone},      // 75% of the time to respond
		{90 * time.Minute, 1, tickets.RiskAtRisk},  // 81%
		{time.Hour, 0, tickets.RiskAtRisk},         // still before the deadline
		{4 * time.Hour, 1, tickets.RiskBreached},   // past the response deadline
		{100 * time.Hour, 0, tickets.RiskBreached}, // a breach stays
	}
	for i, st := range steps {
		clock.Advance(st.advance)
		n, err := svc.Scan(ctx)
		if err != nil {
			t.Fatalf("step %d: scan: %v", i+1, err)
		}
		got, _ := svc.Get(ctx, tk.ID)
		if n != st.changed || got.Risk != st.risk {
			t.Errorf("step %d: changed %d, risk %q; want %d, %q", i+1, n, got.Risk, st.changed, st.risk)
		}
	}

	evs, err := store.PendingEvents(ctx, tickets.ConsumerCRM, 10)
	if err != nil {
		t.Fatal(err)
	}
	var types []tickets.EventType
	for _, e := range evs {
		types = append(types, e.Type)
	}
	want := []tickets.EventType{tickets.EventCreated, tickets.EventAtRisk, tickets.EventBreached}
	if len(types) != len(want) || types[1] != want[1] || types[2] != want[2] {
		t.Errorf("CRM events %v, want %v", types, want)
	}
	got, _ := svc.Get(ctx, tk.ID)
	risks := 0
	for _, c := range got.History {
		if c.Action == tickets.ActionRisk && c.Actor == "system" {
			risks++
		}
	}
	if risks != 2 {
		t.Errorf("%d risk entries in the history, want 2: %+v", risks, got.History)
	}
}
