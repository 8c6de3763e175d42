package tickets_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"hotline/tickets"
)

func TestAPI_ListFilters(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	ctx := context.Background()
	t0 := e.clock.Now()

	a := e.open(t, tickets.Draft{Kind: tickets.KindRequest, Phone: "13800000001"})
	e.clock.Advance(time.Hour)
	b := e.open(t, tickets.Draft{Kind: tickets.KindComplaint, Phone: "13800000002"})
	e.clock.Advance(time.Hour)
	c := e.open(t, tickets.Draft{Kind: tickets.KindFault, Phone: "13800000001"})
	e.clock.Advance(time.Hour)
	if _, err := e.svc.Apply(ctx, c.ID, tickets.Update{Assignee: ptr("li")}, "lead", nil); err != nil {
		t.Fatalf("assign: %v", err)
	}
	e.clock.Advance(time.Hour)
	cancel := tickets.Update{Status: ptr(tickets.StatusCancelled)}
	if _, err := e.svc.Apply(ctx, b.ID, cancel, "lead", nil); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	// Past every deadline: the open tickets a and c are breached.
	e.clock.Advance(96 * time.Hour)
	if _, err := e.svc.Scan(ctx); err != nil {
		t.Fatalf("scan: %v", err)
	}
	e.clock.Advance(time.Hour)
	d := e.open(t, tickets.Draft{Kind: tickets.KindRequest, Phone: "13800000003"})

	cases := []struct {
		name  string
		query url.Values
		want  []string
	}{
		{"all", nil, []string{d.ID, c.ID, b.ID, a.ID}},
		{"one_status", url.Values{"status": {"assigned"}}, []string{c.ID}},
		{"status_list", url.Values{"status": {"new,cancelled"}}, []string{d.ID, b.ID, a.ID}},
		{"kind", url.Values{"kind": {"complaint"}}, []string{b.ID}},
		{"phone", url.Values{"phone": {"13800000001"}}, []string{c.ID, a.ID}},
		{"breached", url.Values{"breached": {"true"}}, []string{c.ID, a.ID}},
		{"not_breached", url.Values{"breached": {"false"}}, []string{d.ID, b.ID}},
		{"created_range", url.Values{"created_from": {stampOf(t0.Add(time.Hour))},
			"created_to": {stampOf(t0.Add(3 * time.Hour))}}, []string{c.ID, b.ID}},
		{"created_to_is_exclusive", url.Values{"created_to": {stampOf(t0.Add(time.Hour))}},
			[]string{a.ID}},
		{"created_from_utc", url.Values{"created_from": {stampOf(d.CreatedAt.UTC())}}, []string{d.ID}},
		{"combined", url.Values{"phone": {"13800000001"}, "kind": {"fault"}}, []string{c.ID}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var page struct {
				Tickets    []ticketOut `json:"tickets"`
				NextCursor *string     `json:"next_cursor"`
			}
			e.want(t, e.do(t, req{method: http.MethodGet, path: "/api/v1/tickets?" + tc.query.Encode()}),
				http.StatusOK, &page)
			if got := ids(page.Tickets); !slices.Equal(got, tc.want) {
				t.Errorf("ids %v, want %v", got, tc.want)
			}
			if page.NextCursor != nil {
				t.Errorf("next_cursor %q on the only page", *page.NextCursor)
			}
		})
	}

	t.Run("breached_flag_and_risk_shown", func(t *testing.T) {
		var tk ticketOut
		e.getOK(t, "/api/v1/tickets/"+a.ID, &tk)
		if !tk.Breached || tk.Risk != "breached" {
			t.Errorf("breached %v risk %q", tk.Breached, tk.Risk)
		}
	})
}

func TestAPI_ListRejectsBadFilters(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	for _, q := range []string{
		"status=bogus", "status=new,", "kind=bill", "breached=yes", "created_from=yesterday",
		"created_to=2026-12-03", "limit=0", "limit=101", "limit=ten", "state=new",
		"kind=fault&kind=request", "cursor=not-a-cursor",
	} {
		t.Run(q, func(t *testing.T) {
			e.wantError(t, e.do(t, req{method: http.MethodGet, path: "/api/v1/tickets?" + q}),
				http.StatusBadRequest, "bad_request")
		})
	}
}

func TestAPI_ListPages(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	var all []string
	for range 25 {
		all = append(all, e.open(t, tickets.Draft{Phone: "13900000000"}).ID)
		e.clock.Advance(time.Minute)
	}
	// Two tickets created in the same instant must not be lost at a page
	// edge either.
	all = append(all, e.open(t, tickets.Draft{}).ID, e.open(t, tickets.Draft{}).ID)

	var seen []string
	pages := 0
	cursor := ""
	for {
		q := url.Values{"limit": {"10"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page struct {
			Tickets    []ticketOut `json:"tickets"`
			NextCursor *string     `json:"next_cursor"`
		}
		e.getOK(t, "/api/v1/tickets?"+q.Encode(), &page)
		pages++
		seen = append(seen, ids(page.Tickets)...)
		if page.NextCursor == nil {
			break
		}
		if pages > 10 {
			t.Fatal("the cursor never ends")
		}
		cursor = *page.NextCursor
	}

	if pages != 3 {
		t.Errorf("%d pages, want 3", pages)
	}
	sorted := slices.Clone(seen)
	slices.Sort(sorted)
	if len(slices.Compact(sorted)) != len(seen) {
		t.Errorf("a ticket came twice: %v", seen)
	}
	want := slices.Clone(all)
	slices.Sort(want)
	if !slices.Equal(sorted, want) {
		t.Errorf("listed %v, want %v", sorted, want)
	}
	if seen[0] != all[len(all)-1] && seen[0] != all[len(all)-2] {
		t.Errorf("first listed %s, want one of the newest", seen[0])
	}
}

func TestAPI_GetTicket(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	tk := e.open(t, tickets.Draft{Kind: tickets.KindComplaint, Phone: "13700000000",
		Details: map[string]string{"reason": "billing"}, Actor: "bot"})
	e.clock.Advance(time.Minute)
	if _, err := e.svc.Apply(context.Background(), tk.ID,
		tickets.Update{Note: "called back"}, "agent7", nil); err != nil {
		t.Fatalf("note: %v", err)
	}

	t.Run("with_history", func(t *testing.T) {
		var got ticketOut
		e.getOK(t, "/api/v1/tickets/"+tk.ID, &got)
		if got.ID != tk.ID || got.Kind != "complaint" || got.Phone != "13700000000" ||
			got.Details["reason"] != "billing" || got.Priority != int(tickets.PriorityHigh) {
			t.Errorf("ticket %+v", got)
		}
		if len(got.History) != 2 || got.History[0].Action != "created" || got.History[0].Actor != "bot" ||
			got.History[1].Action != "note" || got.History[1].Note != "called back" {
			t.Errorf("history %+v", got.History)
		}
		if !got.CreatedAt.Equal(tk.CreatedAt) {
			t.Errorf("created_at %v, want %v", got.CreatedAt, tk.CreatedAt)
		}
	})

	t.Run("unknown_is_404", func(t *testing.T) {
		e.wantError(t, e.do(t, req{method: http.MethodGet, path: "/api/v1/tickets/TK20261203-999999"}),
			http.StatusNotFound, "not_found")
	})
}

func ids(list []ticketOut) []string {
	out := []string{}
	for _, t := range list {
		out = append(out, t.ID)
	}
	return out
}

func stampOf(t time.Time) string { return t.Format(time.RFC3339) }

func ptr[T any](v T) *T { return &v }
