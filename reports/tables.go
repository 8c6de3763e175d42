package reports

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// table is a report that is a list of rows, served as JSON or CSV.
type table struct {
	name    string
	header  []string
	rows    [][]string
	payload any // the JSON form
}

func (a *API) serveTable(w http.ResponseWriter, r *http.Request, build func(Summary) table) {
	asCSV, ok := wantsCSV(w, r)
	if !ok {
		return
	}
	s, ok := a.load(w, r)
	if !ok {
		return
	}
	t := build(s)
	if !asCSV {
		writeJSON(w, map[string]any{"from": s.From, "to": s.To, "timezone": s.Timezone, t.name: t.payload})
		return
	}
	writeCSV(w, t, s.From, s.To)
}

// writeCSV sends a table as a CSV attachment. A cell that a spreadsheet
// would run as a formula (it starts with =, +, - or @) is quoted with a
// leading apostrophe, so a display name or a subscriber's question cannot
// become one.
func writeCSV(w http.ResponseWriter, t table, from, to string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition",
		fmt.Sprintf(`attachment; filename="hotline-%s-%s-%s.csv"`, t.name, from, to))
	cw := csv.NewWriter(w)
	_ = cw.Write(t.header)
	for _, row := range t.rows {
		_ = cw.Write(defuse(row))
	}
	cw.Flush()
}

// defuse prefixes an apostrophe to cells that begin like a formula. Numbers
// are left alone: a negative figure never occurs in these tables, and a
// leading minus on anything else is treated as a formula.
func defuse(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			c = "'" + c
		}
		out[i] = c
	}
	return out
}

func (a *API) daily(w http.ResponseWriter, r *http.Request) {
	a.serveTable(w, r, func(s Summary) table {
		t := table{name: "daily", payload: s.Daily, header: []string{"date", "channel", "visits",
			"self_service", "handoffs", "tickets", "answered", "unanswered"}}
		for _, d := range s.Daily {
			t.rows = append(t.rows, append([]string{d.Date, d.Channel}, channelCells(d.ChannelDay)...))
		}
		return t
	})
}

func (a *API) channels(w http.ResponseWriter, r *http.Request) {
	a.serveTable(w, r, func(s Summary) table {
		rows := append([]ChannelSummary{}, s.Channels...)
		all := s.Totals
		all.Channel = "all"
		rows = append(rows, all)
		t := table{name: "channels", payload: rows, header: []string{"channel", "visits",
			"self_service", "handoffs", "tickets", "answered", "unanswered",
			"self_service_rate", "handoff_rate", "kb_hit_rate"}}
		for _, c := range rows {
			cells := append([]string{c.Channel}, channelCells(c.ChannelDay)...)
			t.rows = append(t.rows, append(cells, ratio(c.SelfServiceRate), ratio(c.HandoffRate),
				ratio(c.KBHitRate)))
		}
		return t
	})
}

func (a *API) tickets(w http.ResponseWriter, r *http.Request) {
	a.serveTable(w, r, func(s Summary) table {
		t := table{name: "tickets", payload: map[string]any{"kinds": s.Kinds, "first_reply": s.FirstReply},
			header: []string{"kind", "responded", "response_p50_secs", "response_p90_secs",
				"response_target_p50_secs", "response_on_time", "resolved", "resolution_p50_secs",
				"resolution_p90_secs", "resolution_target_p50_secs", "resolution_on_time",
				"ratings", "good_share"}}
		for _, k := range s.Kinds {
			t.rows = append(t.rows, []string{k.Kind, itoa(k.Response.Count), i64(k.Response.P50),
				i64(k.Response.P90), i64(k.ResponseTarget.P50), ratio(k.ResponseOnTime),
				itoa(k.Resolution.Count), i64(k.Resolution.P50), i64(k.Resolution.P90),
				i64(k.ResolutionTarget.P50), ratio(k.ResolutionOnTime),
				itoa(k.Satisfaction.Count), ratio(k.Satisfaction.GoodShare)})
		}
		return t
	})
}

func (a *API) satisfaction(w http.ResponseWriter, r *http.Request) {
	a.serveTable(w, r, func(s Summary) table {
		bot := s.Bot
		bot.Agent, bot.Name = "bot", "bot"
		rows := append(append([]RatingSummary{}, s.Agents...), bot)
		t := table{name: "satisfaction", payload: rows,
			header: []string{"agent", "name", "ratings", "good", "good_share", "average"}}
		for _, r := range rows {
			t.rows = append(t.rows, []string{r.Agent, r.Name, itoa(r.Count), itoa(r.Good),
				ratio(r.GoodShare), strconv.FormatFloat(r.Average, 'f', 2, 64)})
		}
		return t
	})
}

func channelCells(c ChannelDay) []string {
	return []string{itoa(c.Visits), itoa(c.SelfService), itoa(c.Handoffs), itoa(c.Tickets),
		itoa(c.Answered), itoa(c.Unanswered)}
}

func itoa(n int) string      { return strconv.Itoa(n) }
func i64(n int64) string     { return strconv.FormatInt(n, 10) }
func ratio(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }
