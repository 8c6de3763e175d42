package main

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"
)

// routes is the gateway's HTTP surface.
func (g *gateway) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", g.health.live)
	mux.HandleFunc("GET /readyz", g.health.ready)
	g.webchat.Routes(mux)
	return mux
}

// pinger is the part of the store that readiness checks.
type pinger interface {
	Ping(ctx context.Context) error
}

// health answers the liveness and readiness probes.
type health struct {
	store    pinger
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
	if err := h.store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"status":"store unavailable"}` + "\n"))
		return
	}
	_, _ = w.Write([]byte(`{"status":"ready"}` + "\n"))
}
