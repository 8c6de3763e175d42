package console

import (
	"context"
	"time"

	"hotline/dialog"
	"hotline/handoff"
)

// Presence tells which agents have a console open on some gateway
// instance, when several share the desk. Each instance keeps a mark for
// the agents whose sockets it holds; an instance that dies stops keeping
// them, and the desk loop then starts their grace period as if their
// consoles had closed.
type Presence interface {
	// Keep marks the agents as having a console here, for a while.
	Keep(ctx context.Context, agentIDs []string) error
	// Present reports which of the agents have a console anywhere.
	Present(ctx context.Context, agentIDs []string) (map[string]bool, error)
}

// PresenceLife is how long a mark lasts without renewal, for a renewal
// every interval.
func PresenceLife(every time.Duration) time.Duration { return 3 * every }

// RunPresence renews this instance's marks until ctx ends. It does
// nothing without a Presence.
func (s *Server) RunPresence(ctx context.Context) {
	if s.cfg.Presence == nil {
		return
	}
	dialog.Every(ctx, s.cfg.PresenceEvery, func() { s.keepPresent(ctx, s.hub.agentIDs()) })
}

// keepPresent marks agents as having a console here.
func (s *Server) keepPresent(ctx context.Context, ids []string) {
	if s.cfg.Presence == nil || len(ids) == 0 {
		return
	}
	if err := s.cfg.Presence.Keep(ctx, ids); err != nil && ctx.Err() == nil {
		s.log.Warn("console: presence not renewed", "agents", len(ids), "err", err)
	}
}

// checkPresence, on the desk loop, starts the grace period of connected
// agents whose consoles no instance keeps any more: their instance died.
func (s *Server) checkPresence(ctx context.Context) {
	if s.cfg.Presence == nil || s.now().Sub(s.loop.presenceAt) < s.cfg.PresenceEvery {
		return
	}
	s.loop.presenceAt = s.now()
	agents, err := s.cfg.Desk.Agents(ctx)
	if err != nil {
		return
	}
	var connected []string
	for _, a := range agents {
		if a.Connected() && (a.State != handoff.StateOffline || len(a.Conversations) > 0) {
			connected = append(connected, a.ID)
		}
	}
	if len(connected) == 0 {
		return
	}
	present, err := s.cfg.Presence.Present(ctx, connected)
	if err != nil {
		return // unknown: nobody is disconnected on a guess
	}
	for _, id := range connected {
		if present[id] {
			continue
		}
		if _, err := s.cfg.Desk.Disconnect(ctx, id); err != nil {
			s.log.Error("console: disconnect of a vanished console not recorded", "agent", id, "err", err)
		}
	}
}
