package reports

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hotline/dialog"
)

// headerAccess lets a request in by its X-Test-Role header.
type headerAccess struct{}

func (headerAccess) Reader(r *http.Request) (string, error) {
	switch r.Header.Get("X-Test-Role") {
	case "supervisor":
		return "sup", nil
	case "agent":
		return "", ErrForbidden
	}
	return "", ErrUnauthenticated
}

type noLive struct{}

func (noLive) OpenConversations(context.Context, time.Time) (map[string]int, error) {
	return map[string]int{"webchat": 3}, nil
}

func (noLive) TicketRisks(context.Context) (map[string]Risk, error) {
	return map[string]Risk{"fault": {AtRisk: 2, Breached: 1}}, nil
}

type unanswered []dialog.Unanswered

// UnansweredBetween returns the questions of the period, newest first
// as they come, up to limit.
func (u unanswered) UnansweredBetween(_ context.Context, from, to time.Time, limit int) ([]dialog.Unanswered, error) {
	var out []dialog.Unanswered
	for _, q := range u {
		if !q.At.Before(from) && q.At.Before(to) && len(out) < limit {
			out = append(out, q)
		}
	}
	return out, nil
}

type names map[string]string

func (n names) AgentNames(context.Context) (map[string]string, error) { return n, nil }

func testAPI(t *testing.T) *httptest.Server {
	now := time.Date(2026, 12, 4, 15, 0, 0, 0, shanghai)
	src := &memSource{visits: 2}
	d := Day{}
	d.Agent("wang").Rate(5)
	src.kept = map[int]Saved{20261120: {Day: d, ComputedAt: now}}
	asked := now.Add(-time.Hour)
	api := NewAPI(Config{
		Days: NewDays(src, shanghai, func() time.Time { return now }), Live: noLive{},
		Access: headerAccess{}, Names: names{"wang": "=HYPERLINK(\"http://x\")"},
		Unanswered: unanswered{
			{ConversationID: "c1", Text: "宽带怎么办理 13812345678", At: asked},
			{ConversationID: "c2", Text: "宽带怎么办理", At: asked},
			{ConversationID: "c3", Text: "携号转网要多久", At: asked.AddDate(0, 0, -40)},
		},
		Now: func() time.Time { return now },
	})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, srv *httptest.Server, path, role string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if role != "" {
		req.Header.Set("X-Test-Role", role)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestAPI_RefusesWithAReason(t *testing.T) {
	srv := testAPI(t)
	cases := []struct {
		path, role string
		status     int
		code       string
	}{
		{PathPrefix + "summary", "", http.StatusUnauthorized, "unauthorized"},
		{PathPrefix + "summary", "agent", http.StatusForbidden, "forbidden"},
		{PathPrefix + "summary?from=2026-13-01", "supervisor", http.StatusBadRequest, "bad_period"},
		{PathPrefix + "summary?from=2026-12-04&to=2026-12-01", "supervisor", http.StatusBadRequest, "bad_period"},
		{PathPrefix + "summary?from=2020-01-01&to=2026-12-01", "supervisor", http.StatusBadRequest, "bad_period"},
		{PathPrefix + "daily?format=xml", "supervisor", http.StatusBadRequest, "bad_format"},
		{PathPrefix + "nothing", "supervisor", http.StatusNotFound, "not_found"},
	}
	for _, c := range cases {
		resp, body := get(t, srv, c.path, c.role)
		var e errorBody
		if err := json.Unmarshal([]byte(body), &e); err != nil || resp.StatusCode != c.status ||
			e.Error != c.code || e.Reason == "" {
			t.Errorf("%s as %q: %d %s, want %d %s with a reason", c.path, c.role, resp.StatusCode, body,
				c.status, c.code)
		}
	}
}

func TestAPI_SummaryDefaultsToThirtyDays(t *testing.T) {
	srv := testAPI(t)
	resp, body := get(t, srv, PathPrefix+"summary", "supervisor")
	var s Summary
	if err := json.Unmarshal([]byte(body), &s); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	// 5 Nov to 4 Dec; 20 Nov is kept with no visits, the 29 others are
	// computed with two each.
	if s.From != "2026-11-05" || s.To != "2026-12-04" || s.Totals.Visits != 58 {
		t.Errorf("summary %s to %s with %d visits, want 2026-11-05 to 2026-12-04 with 58",
			s.From, s.To, s.Totals.Visits)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Error("reports may be cached")
	}
}

func TestAPI_CSVIsSafeInASpreadsheet(t *testing.T) {
	srv := testAPI(t)
	resp, body := get(t, srv, PathPrefix+"satisfaction?format=csv&from=2026-11-20&to=2026-11-20", "supervisor")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if !strings.Contains(resp.Header.Get("Content-Disposition"), "hotline-satisfaction-2026-11-20-2026-11-20.csv") {
		t.Errorf("disposition %q", resp.Header.Get("Content-Disposition"))
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][1] != "name" {
		t.Fatalf("rows %q, want a header, wang and the bot", rows)
	}
	if name := rows[1][1]; !strings.HasPrefix(name, "'=") {
		t.Errorf("a display name that is a formula came out as %q", name)
	}
}

func TestAPI_GapsGroupAndMask(t *testing.T) {
	srv := testAPI(t)
	resp, body := get(t, srv, PathPrefix+"gaps", "supervisor")
	var got struct {
		Gaps []GapRow `json:"gaps"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	// The question from 40 days ago is outside the default 30 days.
	if len(got.Gaps) != 1 || got.Gaps[0].Size != 2 || got.Gaps[0].Conversations != 2 {
		t.Fatalf("gaps %+v, want one of the two 宽带 questions", got.Gaps)
	}
	if strings.Contains(body, "13812345678") {
		t.Error("a phone number is in the gaps report")
	}
}

func TestAPI_Live(t *testing.T) {
	srv := testAPI(t)
	resp, body := get(t, srv, PathPrefix+"live", "supervisor")
	var l Live
	if err := json.Unmarshal([]byte(body), &l); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if l.Conversations["webchat"] != 3 || l.TicketsTotal != (Risk{AtRisk: 2, Breached: 1}) {
		t.Errorf("live %+v", l)
	}
}

// A past period is grouped from its own questions, however many were
// asked after it.
func TestAPI_GapsOfAPastPeriod(t *testing.T) {
	now := time.Date(2026, 12, 4, 15, 0, 0, 0, shanghai)
	inPeriod := time.Date(2026, 11, 10, 9, 0, 0, 0, shanghai)
	var qs unanswered
	for i := range 5 { // newer than the period, and more than the limit
		qs = append(qs, dialog.Unanswered{ConversationID: "late", Text: "积分怎么兑换", At: now.Add(-time.Duration(i) * time.Hour)})
	}
	for i := range 3 {
		qs = append(qs, dialog.Unanswered{ConversationID: "old", Text: "副卡怎么办理", At: inPeriod.Add(time.Duration(i) * time.Minute)})
	}
	api := NewAPI(Config{Days: NewDays(&memSource{}, shanghai, func() time.Time { return now }),
		Live: noLive{}, Access: headerAccess{}, Unanswered: qs, Now: func() time.Time { return now }})
	api.gapLimit = 3
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)

	_, body := get(t, srv, PathPrefix+"gaps?from=2026-11-10&to=2026-11-10", "supervisor")
	var got struct {
		Gaps []GapRow `json:"gaps"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Gaps) != 1 || got.Gaps[0].Size != 3 || got.Gaps[0].Representative != "副卡怎么办理" {
		t.Fatalf("gaps of 2026-11-10 = %+v, want the period's three questions", got.Gaps)
	}
}
