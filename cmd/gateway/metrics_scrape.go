package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// watch registers the figures read when Prometheus scrapes: the open
// sockets, readiness, the agent desk and the tickets. Call it once the
// gateway is built.
func (m *metrics) watch(g *gateway, now func() time.Time) {
	f := promauto.With(m.reg)
	f.NewGaugeFunc(prometheus.GaugeOpts{Name: "hotline_webchat_connections",
		Help: "Open web chat websockets on this instance."},
		func() float64 { return float64(g.webchat.Connections()) })
	f.NewGaugeFunc(prometheus.GaugeOpts{Name: "hotline_ready",
		Help: "1 while the gateway takes work (as /readyz answers 200), 0 otherwise."},
		func() float64 { return boolGauge(g.health.isReady()) })
	if g.agents != nil {
		f.NewGaugeFunc(prometheus.GaugeOpts{Name: "hotline_console_connections",
			Help: "Open agent console websockets on this instance."},
			func() float64 { return float64(g.agents.console.Connections()) })
		m.reg.MustRegister(newDeskCollector(g.agents.desk, g.cfg.Agent.Groups, now, m.log))
	}
	if c, ok := g.tickets.store.(ticketCounter); ok {
		m.reg.MustRegister(newTicketCollector(c, m.log))
	}
}

// isReady is the readiness probe's verdict: not shutting down, and every
// store answers within the scrape timeout.
func (h *health) isReady() bool {
	if h.stopping.Load() {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	for _, s := range h.stores {
		if s.Ping(ctx) != nil {
			return false
		}
	}
	return true
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
