package reports

import (
	"testing"
	"time"
)

func TestSpread_NearestRank(t *testing.T) {
	cases := []struct {
		secs     []int64
		p50, p90 int64
	}{
		{nil, 0, 0},
		{[]int64{40}, 40, 40},
		{[]int64{30, 10, 20, 40}, 20, 40},
		// 1..10: the 5th and the 9th values.
		{[]int64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 5, 9},
	}
	for _, c := range cases {
		s := spread(c.secs)
		if s.Count != len(c.secs) || s.P50 != c.p50 || s.P90 != c.p90 {
			t.Errorf("spread(%v) = %+v, want p50 %d p90 %d", c.secs, s, c.p50, c.p90)
		}
	}
}

func TestSummarize_AddsDaysAndWorksOutRates(t *testing.T) {
	d1, d2 := Day{}, Day{}
	*d1.Channel("webchat") = ChannelDay{Visits: 4, SelfService: 3, Handoffs: 1, Answered: 6, Unanswered: 2}
	*d2.Channel("webchat") = ChannelDay{Visits: 6, SelfService: 2, Handoffs: 3, Tickets: 1, Answered: 1, Unanswered: 1}
	*d2.Channel("sms") = ChannelDay{Visits: 10, SelfService: 10, Answered: 10}
	d1.FirstReplies = []int64{60, 120}
	d2.FirstReplies = []int64{30}
	d1.Agent("li.na").Rate(5)
	d2.Agent("li.na").Rate(3)
	d2.Agent("li.na").Rate(0) // out of range: ignored
	d2.Kind("fault").Responded = 2
	d2.Kind("fault").RespondedOnTime = 1
	d2.Bot.Rate(4)

	day1 := time.Date(2026, 12, 1, 0, 0, 0, 0, shanghai)
	s := Summarize([]Dated{{Date: day1, Day: d1}, {Date: day1.AddDate(0, 0, 1), Day: d2}}, shanghai,
		map[string]string{"li.na": "李娜"})

	if s.From != "2026-12-01" || s.To != "2026-12-02" {
		t.Errorf("period %s to %s", s.From, s.To)
	}
	if len(s.Channels) != 2 || s.Channels[0].Channel != "sms" || s.Channels[1].Channel != "webchat" {
		t.Fatalf("channels %+v, want sms then webchat", s.Channels)
	}
	web := s.Channels[1]
	if web.Visits != 10 || web.SelfServiceRate != 0.5 || web.HandoffRate != 0.4 || web.KBHitRate != 0.7 {
		t.Errorf("webchat %+v, want 10 visits, 0.5 self-service, 0.4 hand-off, 0.7 hits", web)
	}
	if s.Totals.Visits != 20 || s.Totals.SelfServiceRate != 0.75 || s.Totals.KBHitRate != 0.85 {
		t.Errorf("totals %+v, want 20 visits, 0.75 self-service, 0.85 hits", s.Totals)
	}
	if len(s.Daily) != 3 {
		t.Errorf("daily rows %+v, want 3 (one per day and channel)", s.Daily)
	}
	if s.FirstReply != (Spread{Count: 3, P50: 60, P90: 120}) {
		t.Errorf("first reply %+v", s.FirstReply)
	}
	if len(s.Agents) != 1 || s.Agents[0].Name != "李娜" || s.Agents[0].Count != 2 ||
		s.Agents[0].GoodShare != 0.5 || s.Agents[0].Average != 4 {
		t.Errorf("agents %+v, want 李娜 with 2 ratings, half good, average 4", s.Agents)
	}
	if len(s.Kinds) != 1 || s.Kinds[0].ResponseOnTime != 0.5 {
		t.Errorf("kinds %+v", s.Kinds)
	}
	if s.Bot.Count != 1 || s.Bot.GoodShare != 1 {
		t.Errorf("bot %+v", s.Bot)
	}
}

func TestSummarize_NoDays(t *testing.T) {
	s := Summarize(nil, shanghai, nil)
	if s.Totals.Visits != 0 || s.Totals.SelfServiceRate != 0 || s.Channels == nil || s.Daily == nil {
		t.Errorf("empty summary %+v: want zeros and empty lists, not nulls", s)
	}
}
