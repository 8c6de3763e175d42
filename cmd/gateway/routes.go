package main

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"hotline/channels/sms"
	"hotline/reports"
)

// apiPrefix is the back office's REST API. It answers every method and
// unknown path under it itself, in its own JSON error shape; so do the
// CRM webhook, the WeChat callback and the SMS callbacks at their paths.
const apiPrefix = "/api/v1/"

// routes is the gateway's HTTP surface.
func (g *gateway) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", g.health.live)
	mux.HandleFunc("GET /readyz", g.health.ready)
	mux.Handle("GET /metrics", g.metrics.handler())
	mux.Handle("GET /dashboard/", reports.Dashboard())
	g.webchat.Routes(mux)
	if g.agents != nil {
		g.agents.console.Routes(mux)
	}

	api, webhook := g.tickets.api, g.tickets.webhook
	var wx, sm http.Handler
	if g.wechat != nil {
		wx = g.wechat
	}
	if len(g.sms) > 0 {
		sm = sms.NewRouter(g.sms...)
	}
	all := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		baseHeaders(w.Header())
		if r.TLS != nil {
			// Browsers that reached the gateway over HTTPS keep to it.
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
		switch {
		case strings.HasPrefix(r.URL.Path, reports.PathPrefix):
			g.reports.ServeHTTP(w, r)
		case strings.HasPrefix(r.URL.Path, apiPrefix):
			api.ServeHTTP(w, r)
		case r.URL.Path == crmWebhookPath && webhook != nil:
			webhook.ServeHTTP(w, r)
		case wx != nil && r.URL.Path == g.cfg.WeChat.Path:
			wx.ServeHTTP(w, r)
		case sm != nil && strings.HasPrefix(r.URL.Path, sms.PathPrefix):
			sm.ServeHTTP(w, r)
		default:
			mux.ServeHTTP(w, r)
		}
	})
	// The limits read the client's address from the request as it came;
	// the handlers behind see it as RemoteAddr.
	return g.limits.limitByAddr(g.addrs, g.addrs.withClientAddr(all))
}

// baseHeaders are sent with every answer, the API's and the callbacks'
// included: no content sniffing, no referrer to other sites, and no
// framing by other sites. The pages add their own Content-Security-Policy.
func baseHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "SAMEORIGIN")
}

// pinger is the part of the store that readiness checks.
type pinger interface {
	Ping(ctx context.Context) error
}

// health answers the liveness and readiness probes.
type health struct {
	stores   []pinger
	stopping atomic.Bool
}

// live says the process is up.
func (h *health) live(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
}

// ready says whether the gateway can take work: not shutting down, and the
// store answers.
func (h *health) ready(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if h.stopping.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"status":"stopping"}` + "\n"))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	for _, s := range h.stores {
		if err := s.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"status":"store unavailable"}` + "\n"))
			return
		}
	}
	_, _ = w.Write([]byte(`{"status":"ready"}` + "\n"))
}
