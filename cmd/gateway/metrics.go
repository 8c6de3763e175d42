package main

import (
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"hotline/channels"
	"hotline/configs"
)

// metrics are the gateway's Prometheus metrics, on a registry of their
// own so nothing a library registers globally is served. The components
// know nothing of them: decorators made here count what passes through
// the receiver, the channels and the store, and collectors read the desk,
// the sockets and the tickets when Prometheus scrapes.
//
// Labels come only from small fixed sets (channel and provider names from
// the settings, results, states, kinds, skill groups), never from an
// address, a number, a text or an id.
type metrics struct {
	reg       *prometheus.Registry
	log       *slog.Logger
	token     [sha256.Size]byte // digest of metrics.token
	open      bool              // no token: anyone may scrape
	smsByName map[string]string // SMS channel name → provider
	providers map[string]string // channel name → provider, set by wrapChannels

	inbound       *prometheus.CounterVec
	duplicates    *prometheus.CounterVec
	inboundErrors *prometheus.CounterVec
	sends         *prometheus.CounterVec
	sendTime      *prometheus.HistogramVec
	retries       *prometheus.CounterVec
	givenUp       *prometheus.CounterVec
	answers       *prometheus.CounterVec
	storeTime     *prometheus.HistogramVec
}

// Send results, the values of the result label of the sends.
const (
	resultSent      = "sent"
	resultHeld      = "held"
	resultRetryable = "retryable_error"
	resultPermanent = "permanent_error"
)

// Knowledge base outcomes, the values of the result label of the answers.
const (
	answerHit       = "hit"
	answerSuggested = "suggested"
	answerMiss      = "miss"
)

// Store operations, the values of the kind label of the store latency.
const (
	storeCommit     = "commit"
	storeRead       = "read"
	storeDeliveries = "deliveries"
)

// unknownLabel stands for a channel, group or state outside the fixed set,
// so an unexpected value cannot add series.
const unknownLabel = "other"

// newMetrics makes the registry with the Go runtime and process
// collectors and the metrics the decorators count.
func newMetrics(cfg configs.Config, log *slog.Logger) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(), log: log, open: !cfg.Metrics.Token.IsSet(),
		token:     sha256.Sum256([]byte(cfg.Metrics.Token.Reveal())),
		smsByName: map[string]string{}, providers: map[string]string{},
	}
	for _, s := range cfg.SMS {
		m.smsByName[s.Name] = s.Provider
	}
	m.reg.MustRegister(collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.defineFlow()
	m.defineStore()
	return m
}

// defineFlow defines the message counters and the send latency.
func (m *metrics) defineFlow() {
	f := promauto.With(m.reg)
	m.inbound = f.NewCounterVec(prometheus.CounterOpts{Name: "hotline_inbound_messages_total",
		Help: "Inbound messages the dialog stored and handled, by channel and provider."},
		[]string{"channel", "provider"})
	m.duplicates = f.NewCounterVec(prometheus.CounterOpts{Name: "hotline_inbound_duplicates_total",
		Help: "Inbound messages acknowledged as repeats of one already stored, by channel and provider."},
		[]string{"channel", "provider"})
	m.inboundErrors = f.NewCounterVec(prometheus.CounterOpts{Name: "hotline_inbound_errors_total",
		Help: "Inbound messages the dialog could not store; the sender is told to retry."},
		[]string{"channel", "provider"})
	m.sends = f.NewCounterVec(prometheus.CounterOpts{Name: "hotline_outbound_sends_total",
		Help: "Delivery attempts of outbound messages, by channel, provider and result."},
		[]string{"channel", "provider", "result"})
	m.sendTime = f.NewHistogramVec(prometheus.HistogramOpts{Name: "hotline_outbound_send_duration_seconds",
		Help: "Time one delivery attempt took, by channel and provider.", Buckets: sendBuckets},
		[]string{"channel", "provider"})
	m.retries = f.NewCounterVec(prometheus.CounterOpts{Name: "hotline_outbox_retries_total",
		Help: "Delivery attempts beyond a message's first, by channel and provider."},
		[]string{"channel", "provider"})
	m.givenUp = f.NewCounterVec(prometheus.CounterOpts{Name: "hotline_outbox_failed_total",
		Help: "Outbound messages given up: a permanent failure or too many retryable ones, " +
			"by channel and provider."}, []string{"channel", "provider"})
}

// defineStore defines the knowledge base outcomes and the store latency.
func (m *metrics) defineStore() {
	f := promauto.With(m.reg)
	m.answers = f.NewCounterVec(prometheus.CounterOpts{Name: "hotline_kb_answers_total",
		Help: "Questions the knowledge base answered (hit), offered choices for (suggested) " +
			"or could not answer (miss)."}, []string{"result"})
	for _, r := range []string{answerHit, answerSuggested, answerMiss} {
		m.answers.WithLabelValues(r)
	}
	m.storeTime = f.NewHistogramVec(prometheus.HistogramOpts{Name: "hotline_store_duration_seconds",
		Help: "Time the conversation store took: the dialog's commits, its reads, " +
			"and the outbox's status writes.", Buckets: storeBuckets}, []string{"kind"})
	for _, k := range []string{storeCommit, storeRead, storeDeliveries} {
		m.storeTime.WithLabelValues(k)
	}
}

// Histogram buckets, in seconds. A web chat send writes to a socket in
// well under a millisecond; an SMS or WeChat API call takes 50 ms to
// seconds. A commit waits for the disk's flush.
var (
	sendBuckets  = []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
	storeBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}
)

// provider names the provider behind a channel: the SMS provider of an
// SMS channel, the channel's own name otherwise (webchat, wechat).
func (m *metrics) provider(channel string) string {
	if p, ok := m.smsByName[channel]; ok {
		return p
	}
	return channel
}

// channelLabels returns the channel and provider labels of a channel the
// gateway has, "other" for both otherwise.
func (m *metrics) channelLabels(channel string) (string, string) {
	if p, ok := m.providers[channel]; ok {
		return channel, p
	}
	return unknownLabel, unknownLabel
}

// wrapChannels returns the channels with their sends counted, and makes
// every channel's series exist from the start.
func (m *metrics) wrapChannels(chans []channels.Channel) []channels.Channel {
	out := make([]channels.Channel, 0, len(chans))
	for _, c := range chans {
		name, p := c.Name(), m.provider(c.Name())
		m.providers[name] = p
		for _, v := range []*prometheus.CounterVec{m.inbound, m.duplicates, m.inboundErrors,
			m.retries, m.givenUp} {
			v.WithLabelValues(name, p)
		}
		for _, r := range []string{resultSent, resultHeld, resultRetryable, resultPermanent} {
			m.sends.WithLabelValues(name, p, r)
		}
		out = append(out, &countedChannel{Channel: c, m: m,
			time: m.sendTime.WithLabelValues(name, p)})
	}
	return out
}

// handler serves the registry, behind the bearer token when one is set.
// A collector that fails (the database away) leaves its metrics out and
// the rest is served.
func (m *metrics) handler() http.Handler {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      m.reg,
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !m.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// authorized reports whether the request may scrape. Digests are
// compared, so the time taken tells nothing about the token's length or
// how close a guess came.
func (m *metrics) authorized(r *http.Request) bool {
	if m.open {
		return true
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(got[:], m.token[:]) == 1
}
