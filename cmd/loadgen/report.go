package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// report is what a run measured and what its check found.
type report struct {
	Mode        string          `json:"mode"`
	TargetRate  float64         `json:"target_rate,omitempty"`
	Seconds     float64         `json:"seconds"`
	Subscribers int             `json:"subscribers"`
	MissedSlots int64           `json:"missed_slots"`
	Channels    []channelReport `json:"channels"`
	Agents      int             `json:"agents"`
	AgentCloses int64           `json:"agent_closes"`
	Faults      int             `json:"fault_reports"`
	Passed      bool            `json:"passed"`
	Problems    int             `json:"problems"`
	ByKind      map[string]int  `json:"problems_by_kind"`
	First       []problem       `json:"first_problems"`
}

// channelReport is one channel's figures.
type channelReport struct {
	Channel     string         `json:"channel"`
	Subscribers int            `json:"subscribers"`
	Sent        int            `json:"sent"`
	Answered    int            `json:"answered"`
	PerSecond   float64        `json:"per_second"`
	Latency     summary        `json:"latency"`
	Errors      map[string]int `json:"errors"`
}

// maxListed is how many problems the report lists.
const maxListed = 20

// report measures the transcripts and checks them.
func (r *run) report() *report {
	rep := &report{Mode: "open", TargetRate: r.o.rate, Seconds: r.took.Seconds(),
		Subscribers: len(r.subs), MissedSlots: r.missed, Agents: len(r.agents)}
	if r.o.closed {
		rep.Mode, rep.TargetRate = "closed", 0
	}
	for _, a := range r.agents {
		rep.AgentCloses += a.closed.Load()
	}
	var trs []*transcript
	for _, s := range r.subs {
		trs = append(trs, s.tr)
		rep.Faults += len(s.tr.Faults)
	}
	for _, ch := range channelsOrder {
		if r.o.mix[ch] > 0 {
			rep.Channels = append(rep.Channels, r.channelFigures(ch, trs))
		}
	}
	c := checker{timeout: r.o.timing.timeout}
	if r.o.apiToken != "" {
		c.tickets = r.ticketLookup()
	}
	probs := append(c.check(trs), r.errorProblems(rep)...)
	rep.Problems, rep.Passed = len(probs), len(probs) == 0
	rep.ByKind = map[string]int{}
	for _, p := range probs {
		rep.ByKind[p.Kind]++
	}
	rep.First = probs[:min(len(probs), maxListed)]
	return rep
}

// ticketLookup reads the run's tickets once (those created since a
// minute before the start) and finds them by phone.
func (r *run) ticketLookup() ticketLookup {
	all, err := ticketsAPI{base: r.o.targets[0], token: r.o.apiToken}.byPhone(r.start.Add(-time.Minute))
	return func(phone string) ([]string, error) {
		if err != nil {
			return nil, err
		}
		return all[phone], nil
	}
}

// channelFigures counts and times one channel's messages.
func (r *run) channelFigures(ch string, trs []*transcript) channelReport {
	cr := channelReport{Channel: ch, Errors: r.errs.of(ch)}
	var lat latencies
	for _, tr := range trs {
		if tr.Channel != ch {
			continue
		}
		cr.Subscribers++
		for _, t := range tr.Turns {
			cr.Sent++
			if d, ok := t.firstReply(); ok {
				cr.Answered++
				lat = append(lat, d)
			}
		}
	}
	if r.took > 0 {
		cr.PerSecond = float64(cr.Sent) / r.took.Seconds()
	}
	cr.Latency = lat.summarize()
	return cr
}

// errorProblems makes every counted error a problem: a refused send or
// a reply nobody asked for fails the check too.
func (r *run) errorProblems(rep *report) []problem {
	var out []problem
	for _, ch := range append(channelsOrder, "agent") {
		for kind, n := range r.errs.of(ch) {
			out = append(out, problem{Kind: "error", Channel: ch, Detail: fmt.Sprintf("%s ×%d", kind, n)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Detail < out[j].Detail })
	return out
}

// writeText prints the report for a person.
func (rep *report) writeText(w io.Writer) {
	fmt.Fprintf(w, "\nloadgen: %s loop, %.1f s, %d subscribers", rep.Mode, rep.Seconds, rep.Subscribers)
	if rep.Mode == "open" {
		fmt.Fprintf(w, ", target %.1f msg/s, %d slots without an idle subscriber", rep.TargetRate, rep.MissedSlots)
	}
	fmt.Fprintf(w, "\n\n%-8s %6s %7s %8s %8s %8s %8s %8s %8s\n", "channel", "subs", "sent", "answered", "msg/s", "p50 ms", "p90 ms", "p99 ms", "max ms")
	for _, c := range rep.Channels {
		fmt.Fprintf(w, "%-8s %6d %7d %8d %8.1f %8.1f %8.1f %8.1f %8.1f\n", c.Channel, c.Subscribers, c.Sent, c.Answered,
			c.PerSecond, c.Latency.P50, c.Latency.P90, c.Latency.P99, c.Latency.Max)
	}
	for _, c := range rep.Channels {
		for _, k := range sortedKeys(c.Errors) {
			fmt.Fprintf(w, "  error %s: %s ×%d\n", c.Channel, k, c.Errors[k])
		}
	}
	fmt.Fprintf(w, "\nagents %d, conversations closed by agents %d, fault reports %d\n", rep.Agents, rep.AgentCloses, rep.Faults)
	if rep.Passed {
		fmt.Fprintln(w, "CHECK PASSED: every message answered once, in order, no duplicate, every ticket present once, nothing stuck")
		return
	}
	fmt.Fprintf(w, "CHECK FAILED: %d problem(s)", rep.Problems)
	for _, k := range sortedKeys(rep.ByKind) {
		fmt.Fprintf(w, ", %s %d", k, rep.ByKind[k])
	}
	fmt.Fprintln(w, "; the first:")
	for _, p := range rep.First {
		fmt.Fprintf(w, "  %s\n", strings.TrimSpace(p.String()))
	}
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
