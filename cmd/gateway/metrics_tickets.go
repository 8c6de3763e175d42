package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"hotline/store/sqldb"
	"hotline/tickets"
)

// ticketCounter counts the open tickets; the ticket store implements it.
type ticketCounter interface {
	CountOpenTickets(ctx context.Context) ([]sqldb.TicketCount, error)
}

var _ ticketCounter = (*sqldb.Tickets)(nil)

// ticketCollector reports the open tickets by kind and status, and those
// at risk of missing a deadline or past one. The counts come from one
// grouped query over the open tickets, kept for a few seconds, so
// several scrapers at once or a busy database during an outage cost one
// query per interval.
type ticketCollector struct {
	counter ticketCounter
	ttl     time.Duration
	log     *slog.Logger

	mu   sync.Mutex
	at   time.Time // when last was read; zero: never
	last []sqldb.TicketCount

	open, atRisk, breached *prometheus.Desc
}

// ticketCountTTL is how long a count is served before it is read again.
const ticketCountTTL = 5 * time.Second

func newTicketCollector(c ticketCounter, log *slog.Logger) *ticketCollector {
	return &ticketCollector{counter: c, ttl: ticketCountTTL, log: log,
		open: prometheus.NewDesc("hotline_tickets_open",
			"Open tickets (not resolved, closed or cancelled), by kind and status.",
			[]string{"kind", "state"}, nil),
		atRisk: prometheus.NewDesc("hotline_tickets_at_risk",
			"Open tickets that have used most of the time to a deadline, by kind.",
			[]string{"kind"}, nil),
		breached: prometheus.NewDesc("hotline_tickets_breached",
			"Open tickets past a deadline they did not meet, by kind.", []string{"kind"}, nil),
	}
}

// Describe sends the descriptions of the ticket metrics.
func (t *ticketCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- t.open
	ch <- t.atRisk
	ch <- t.breached
}

// Collect sends the counts, every kind and open status included; when
// the store cannot be read they are left out and the failure logged.
func (t *ticketCollector) Collect(ch chan<- prometheus.Metric) {
	counts, err := t.counts()
	if err != nil {
		t.log.Warn("metrics: tickets not counted", "error", err)
		return
	}
	type kindState struct{ kind, state string }
	open := map[kindState]int64{}
	risk := map[tickets.Risk]map[string]int64{tickets.RiskAtRisk: {}, tickets.RiskBreached: {}}
	for _, k := range tickets.Kinds() {
		for _, s := range tickets.Statuses() {
			if (tickets.Ticket{Status: s}).Open() {
				open[kindState{string(k), string(s)}] = 0
			}
		}
		risk[tickets.RiskAtRisk][string(k)], risk[tickets.RiskBreached][string(k)] = 0, 0
	}
	for _, c := range counts {
		open[kindState{string(c.Kind), string(c.Status)}] += c.N
		if byKind, ok := risk[c.Risk]; ok {
			byKind[string(c.Kind)] += c.N
		}
	}
	for ks, n := range open {
		ch <- prometheus.MustNewConstMetric(t.open, prometheus.GaugeValue, float64(n), ks.kind, ks.state)
	}
	for k, n := range risk[tickets.RiskAtRisk] {
		ch <- prometheus.MustNewConstMetric(t.atRisk, prometheus.GaugeValue, float64(n), k)
	}
	for k, n := range risk[tickets.RiskBreached] {
		ch <- prometheus.MustNewConstMetric(t.breached, prometheus.GaugeValue, float64(n), k)
	}
}

// counts returns the last counts while they are fresh, or reads them.
func (t *ticketCollector) counts() ([]sqldb.TicketCount, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.at.IsZero() && time.Since(t.at) < t.ttl {
		return t.last, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	counts, err := t.counter.CountOpenTickets(ctx)
	if err != nil {
		return nil, err
	}
	t.at, t.last = time.Now(), counts
	return counts, nil
}
