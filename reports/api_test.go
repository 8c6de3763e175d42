package reports

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
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

// tablesAPI serves two kept days whose figures the table tests work out
// by hand.
func tablesAPI(t *testing.T) *httptest.Server {
	now := time.Date(2026, 12, 4, 15, 0, 0, 0, shanghai)
	settled := time.Date(2026, 12, 1, 1, 0, 0, 0, shanghai) // over a week after both days
	var d1, d2 Day
	*d1.Channel("webchat") = ChannelDay{Visits: 10, SelfService: 6, Handoffs: 2, Tickets: 2, Answered: 8, Unanswered: 2}
	*d1.Channel("sms") = ChannelDay{Visits: 5, SelfService: 5, Answered: 5}
	d1.Kinds = map[string]*KindDay{"fault": {Responded: 2, RespondedOnTime: 1,
		ResponseSecs: []int64{600, 3600}, ResponseTargets: []int64{86400, 86400},
		Resolved: 1, ResolvedOnTime: 1, ResolutionSecs: []int64{7200}, ResolutionTargets: []int64{259200},
		Ratings: Ratings{Count: 1, Good: 1, Sum: 5}}}
	*d2.Channel("webchat") = ChannelDay{Visits: 4, SelfService: 1, Handoffs: 1, Tickets: 1, Answered: 3, Unanswered: 1}
	d2.Kinds = map[string]*KindDay{"fault": {Responded: 1, RespondedOnTime: 1,
		ResponseSecs: []int64{1800}, ResponseTargets: []int64{86400}}}
	src := &memSource{kept: map[int]Saved{20261120: {Day: d1, ComputedAt: settled},
		20261121: {Day: d2, ComputedAt: settled}}}
	api := NewAPI(Config{Days: NewDays(src, shanghai, func() time.Time { return now }), Live: noLive{},
		Access: headerAccess{}, Now: func() time.Time { return now }})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return srv
}

// csvRows asks for a report as CSV and returns its rows.
func csvRows(t *testing.T, srv *httptest.Server, report string) [][]string {
	t.Helper()
	resp, body := get(t, srv, PathPrefix+report+"?format=csv&from=2026-11-20&to=2026-11-21", "supervisor")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("%s: %d %s", report, resp.StatusCode, body)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// The daily, channels and tickets reports carry the period's figures, as
// CSV and as JSON, worked out by hand.
func TestAPI_TablesCarryThePeriodsFigures(t *testing.T) {
	srv := tablesAPI(t)
	daily := csvRows(t, srv, "daily")
	wantDaily := [][]string{
		{"date", "channel", "visits", "self_service", "handoffs", "tickets", "answered", "unanswered"},
		{"2026-11-20", "sms", "5", "5", "0", "0", "5", "0"},
		{"2026-11-20", "webchat", "10", "6", "2", "2", "8", "2"},
		{"2026-11-21", "webchat", "4", "1", "1", "1", "3", "1"},
	}
	if !reflect.DeepEqual(daily, wantDaily) {
		t.Errorf("daily CSV:\n%q\nwant\n%q", daily, wantDaily)
	}

	channels := csvRows(t, srv, "channels")
	wantChannels := [][]string{
		{"channel", "visits", "self_service", "handoffs", "tickets", "answered", "unanswered",
			"self_service_rate", "handoff_rate", "kb_hit_rate"},
		{"sms", "5", "5", "0", "0", "5", "0", "1.0000", "0.0000", "1.0000"},
		{"webchat", "14", "7", "3", "3", "11", "3", "0.5000", "0.2143", "0.7857"},
		{"all", "19", "12", "3", "3", "16", "3", "0.6316", "0.1579", "0.8421"},
	}
	if !reflect.DeepEqual(channels, wantChannels) {
		t.Errorf("channels CSV:\n%q\nwant\n%q", channels, wantChannels)
	}

	// fault: responses 600, 1800, 3600 s (nearest rank: p50 1800, p90
	// 3600), 2 of 3 on time; one resolution of 7200 s, on time, rated 5.
	tickets := csvRows(t, srv, "tickets")
	wantTickets := [][]string{
		{"kind", "responded", "response_p50_secs", "response_p90_secs", "response_target_p50_secs",
			"response_on_time", "resolved", "resolution_p50_secs", "resolution_p90_secs",
			"resolution_target_p50_secs", "resolution_on_time", "ratings", "good_share"},
		{"fault", "3", "1800", "3600", "86400", "0.6667", "1", "7200", "7200", "259200", "1.0000", "1", "1.0000"},
	}
	if !reflect.DeepEqual(tickets, wantTickets) {
		t.Errorf("tickets CSV:\n%q\nwant\n%q", tickets, wantTickets)
	}

	_, body := get(t, srv, PathPrefix+"channels?from=2026-11-20&to=2026-11-21", "supervisor")
	var js struct {
		From     string           `json:"from"`
		To       string           `json:"to"`
		Channels []ChannelSummary `json:"channels"`
	}
	if err := json.Unmarshal([]byte(body), &js); err != nil {
		t.Fatal(err)
	}
	if js.From != "2026-11-20" || js.To != "2026-11-21" || len(js.Channels) != 3 ||
		js.Channels[1].Visits != 14 || js.Channels[1].KBHitRate != 0.7857 || js.Channels[2].SelfServiceRate != 0.6316 {
		t.Errorf("channels JSON: %s", body)
	}
	_, body = get(t, srv, PathPrefix+"tickets?from=2026-11-20&to=2026-11-21&format=json", "supervisor")
	var tk struct {
		Tickets struct {
			Kinds []KindSummary `json:"kinds"`
		} `json:"tickets"`
	}
	if err := json.Unmarshal([]byte(body), &tk); err != nil {
		t.Fatal(err)
	}
	if k := tk.Tickets.Kinds; len(k) != 1 || k[0].Response.P50 != 1800 || k[0].ResponseOnTime != 0.6667 ||
		k[0].Resolution.Count != 1 {
		t.Errorf("tickets JSON: %s", body)
	}
}
