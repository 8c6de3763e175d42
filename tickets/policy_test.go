package tickets

import (
	"testing"
	"time"
)

func TestDefaultPolicyDeadlines(t *testing.T) {
	p := DefaultPolicy()
	created := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		kind             Kind
		respond, resolve time.Duration
	}{
		{KindRequest, 24 * time.Hour, 72 * time.Hour},
		{KindFault, 24 * time.Hour, 72 * time.Hour},
		{KindComplaint, 48 * time.Hour, 72 * time.Hour},
	}
	for _, tc := range cases {
		r, s := p.deadlines(tc.kind, created)
		if r.Sub(created) != tc.respond || s.Sub(created) != tc.resolve {
			t.Errorf("%s: respond %v resolve %v", tc.kind, r.Sub(created), s.Sub(created))
		}
	}
	if p.Kinds[KindComplaint].Priority <= p.Kinds[KindFault].Priority {
		t.Error("complaints do not outrank fault reports")
	}
}

func TestRiskAndWatch(t *testing.T) {
	p := DefaultPolicy()
	created := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	tk := Ticket{Kind: KindFault, Status: StatusNew, CreatedAt: created}
	tk.RespondBy, tk.ResolveBy = p.deadlines(KindFault, created)

	// At risk after 80% of the 24 hours to the first response.
	if w := p.watchAt(tk); !w.Equal(created.Add(time.Duration(0.8 * float64(24*time.Hour)))) {
		t.Fatalf("first watch at %s", w)
	}
	if r := p.Risk(tk, created.Add(19*time.Hour)); r != RiskNone {
		t.Errorf("risk at 19h = %q", r)
	}
	if r := p.Risk(tk, created.Add(20*time.Hour)); r != RiskAtRisk {
		t.Errorf("risk at 20h = %q", r)
	}
	tk.Risk = RiskAtRisk
	if w := p.watchAt(tk); !w.Equal(tk.RespondBy) {
		t.Errorf("watch after at-risk = %s, want the response deadline", w)
	}
	if r := p.Risk(tk, tk.RespondBy); r != RiskBreached {
		t.Errorf("risk at the deadline = %q", r)
	}

	// Responded in time: only the resolution deadline is watched.
	tk.Risk, tk.RespondedAt = RiskNone, created.Add(time.Hour)
	want := created.Add(time.Duration(0.8 * float64(72*time.Hour)))
	if w := p.watchAt(tk); !w.Equal(want) {
		t.Errorf("watch after response = %s, want %s", w, want)
	}

	// Breached stays breached and is no longer watched.
	tk.Risk = RiskBreached
	if !p.watchAt(tk).IsZero() || p.Risk(tk, created) != RiskBreached {
		t.Error("a breach was forgotten")
	}

	// Resolved: nothing to watch.
	tk.Risk, tk.Status, tk.ResolvedAt = RiskNone, StatusResolved, created.Add(2*time.Hour)
	if w := p.watchAt(tk); !w.IsZero() {
		t.Errorf("resolved ticket watched at %s", w)
	}
}

func TestStatusMoves(t *testing.T) {
	ok := [][2]Status{
		{StatusNew, StatusAssigned}, {StatusAssigned, StatusInProgress},
		{StatusInProgress, StatusResolved}, {StatusResolved, StatusClosed},
		{StatusClosed, StatusReopened}, {StatusReopened, StatusInProgress},
		{StatusNew, StatusCancelled},
	}
	for _, m := range ok {
		if !m[0].CanMove(m[1]) {
			t.Errorf("%s → %s refused", m[0], m[1])
		}
	}
	bad := [][2]Status{
		{StatusNew, StatusClosed}, {StatusCancelled, StatusReopened},
		{StatusResolved, StatusInProgress}, {StatusClosed, StatusResolved},
	}
	for _, m := range bad {
		if m[0].CanMove(m[1]) {
			t.Errorf("%s → %s allowed", m[0], m[1])
		}
		err := (&TransitionError{From: m[0], To: m[1]}).Error()
		if err == "" {
			t.Errorf("%s → %s: empty reason", m[0], m[1])
		}
	}
	for _, s := range Statuses() {
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
	}
	if Status("lost").Valid() {
		t.Error("unknown status valid")
	}
}

func TestFormatID(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	// 20:00 UTC on the 2nd is the 3rd in China.
	at := time.Date(2026, 12, 2, 20, 0, 0, 0, time.UTC).In(loc)
	if got := FormatID(TicketPrefix, at, 123); got != "TK20261203-000123" {
		t.Errorf("FormatID = %s", got)
	}
}
