package main

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"hotline/handoff"
)

// deskReader is what the desk collector reads when Prometheus scrapes.
type deskReader interface {
	Queue(ctx context.Context) ([]handoff.Entry, error)
	Agents(ctx context.Context) ([]handoff.Agent, error)
}

// deskCollector reads the queue and the agents at scrape time: how many
// conversations wait per skill group and for how long the longest has
// waited, and how many agents are in each state. With several instances
// the desk is shared, so every instance reports the same figures.
type deskCollector struct {
	desk   deskReader
	groups []string // the configured skill groups
	now    func() time.Time
	log    *slog.Logger

	depth, wait, agents *prometheus.Desc
}

// anyGroup is the group label of a conversation any agent may take.
const anyGroup = "any"

// agentStates are every state an agent can be in, each reported even when
// no agent is in it.
var agentStates = []handoff.State{handoff.StateOffline, handoff.StateReady, handoff.StateBusy,
	handoff.StateBreak, handoff.StateWrapUp}

// scrapeTimeout bounds what one collector may spend reading at a scrape.
const scrapeTimeout = 2 * time.Second

func newDeskCollector(desk deskReader, groups []string, now func() time.Time, log *slog.Logger) *deskCollector {
	return &deskCollector{desk: desk, groups: append(slices.Clone(groups), anyGroup), now: now, log: log,
		depth: prometheus.NewDesc("hotline_queue_depth",
			"Conversations waiting for an agent, by skill group (any: no group asked).",
			[]string{"group"}, nil),
		wait: prometheus.NewDesc("hotline_queue_longest_wait_seconds",
			"How long the longest-waiting conversation of each skill group has waited; 0 when none waits.",
			[]string{"group"}, nil),
		agents: prometheus.NewDesc("hotline_agents",
			"Agents on the desk, by state.", []string{"state"}, nil),
	}
}

// Describe sends the descriptions of the desk's metrics.
func (d *deskCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- d.depth
	ch <- d.wait
	ch <- d.agents
}

// Collect reads the desk and sends its figures; a part the desk cannot
// read is left out and logged.
func (d *deskCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	if q, err := d.desk.Queue(ctx); err != nil {
		d.log.Warn("metrics: queue not read", "error", err)
	} else {
		d.collectQueue(ch, q)
	}
	if as, err := d.desk.Agents(ctx); err != nil {
		d.log.Warn("metrics: agents not read", "error", err)
	} else {
		d.collectAgents(ch, as)
	}
}

func (d *deskCollector) collectQueue(ch chan<- prometheus.Metric, queue []handoff.Entry) {
	depth, longest := map[string]int{}, map[string]time.Duration{}
	for _, g := range d.groups {
		depth[g], longest[g] = 0, 0
	}
	now := d.now()
	for _, e := range queue {
		g := d.groupLabel(e.Group)
		depth[g]++
		longest[g] = max(longest[g], now.Sub(e.WaitingSince))
	}
	for g, n := range depth {
		ch <- prometheus.MustNewConstMetric(d.depth, prometheus.GaugeValue, float64(n), g)
		ch <- prometheus.MustNewConstMetric(d.wait, prometheus.GaugeValue, longest[g].Seconds(), g)
	}
}

// groupLabel is an entry's group as a label: a configured group, any, or
// other for one the settings no longer list.
func (d *deskCollector) groupLabel(group string) string {
	switch {
	case group == "":
		return anyGroup
	case slices.Contains(d.groups, group):
		return group
	}
	return unknownLabel
}

func (d *deskCollector) collectAgents(ch chan<- prometheus.Metric, agents []handoff.Agent) {
	n := map[handoff.State]int{}
	for _, s := range agentStates {
		n[s] = 0
	}
	for _, a := range agents {
		s := a.State
		if !slices.Contains(agentStates, s) {
			s = unknownLabel
		}
		n[s]++
	}
	for s, c := range n {
		ch <- prometheus.MustNewConstMetric(d.agents, prometheus.GaugeValue, float64(c), string(s))
	}
}
