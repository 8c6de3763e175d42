package console

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"hotline/handoff"
)

// loopState is what the desk loop remembers between rounds.
type loopState struct {
	queueSig   string
	agentsSig  string
	told       map[string]int // waiting conversation → the place last told
	presenceAt time.Time      // when vanished consoles were last looked for
}

func newLoopState() loopState { return loopState{told: map[string]int{}} }

// Run is the desk loop: every tick, and whenever something kicks it, it
// runs the desk's timers, routes waiting conversations to ready agents,
// tells waiting subscribers their new place, and shows consoles the
// queue and the roster when they changed. It returns when ctx ends. One
// loop runs per desk.
func (s *Server) Run(ctx context.Context) {
	tick := time.NewTicker(s.cfg.Tick)
	defer tick.Stop()
	for {
		s.round(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-s.kick:
		}
	}
}

// round is one turn of the desk loop.
func (s *Server) round(ctx context.Context) {
	s.checkPresence(ctx)
	swept, err := s.cfg.Desk.Sweep(ctx)
	if err != nil && ctx.Err() == nil {
		s.log.Error("console: desk sweep failed", "err", err)
	}
	s.afterSweep(ctx, swept)

	routed, err := s.cfg.Desk.Route(ctx)
	if err != nil && ctx.Err() == nil {
		s.log.Error("console: routing failed", "err", err)
	}
	for _, a := range routed {
		s.routed(ctx, a)
	}

	queue, err := s.cfg.Desk.Queue(ctx)
	if err != nil {
		return
	}
	s.tellPlaces(ctx, queue)
	if sig := queueSig(queue); sig != s.loop.queueSig {
		s.loop.queueSig = sig
		s.queueChanged(ctx)
	}
	if agents, err := s.cfg.Desk.Agents(ctx); err == nil {
		if sig := agentsSig(agents); sig != s.loop.agentsSig {
			s.loop.agentsSig = sig
			s.agentsChanged(ctx)
		}
	}
}

// afterSweep tells subscribers and agents what the desk's timers did.
func (s *Server) afterSweep(ctx context.Context, swept handoff.Swept) {
	for _, e := range swept.Expired {
		if err := s.cfg.Engine.QueueExpired(ctx, e.ConversationID+":"+stamp(e.WaitingSince), e); err != nil {
			s.log.Error("console: subscriber not told of the queue limit", "conversation", e.ConversationID, "err", err)
		}
	}
	for _, id := range swept.Requeued {
		e, err := s.cfg.Desk.Entry(ctx, id)
		if err != nil {
			continue
		}
		if err := s.cfg.Engine.AgentLost(ctx, id+":"+stamp(e.WaitingSince), e); err != nil {
			s.log.Error("console: subscriber not told of the lost agent", "conversation", id, "err", err)
		}
	}
	for _, id := range slices.Concat(swept.Offline, swept.Ready) {
		if a, err := s.cfg.Desk.Agent(ctx, id); err == nil {
			s.sendMe(a)
		}
	}
}

// routed gives a conversation routing assigned to its agent.
func (s *Server) routed(ctx context.Context, as handoff.Assignment) {
	e, err := s.cfg.Desk.Entry(ctx, as.ConversationID)
	if err != nil {
		return
	}
	a, err := s.cfg.Desk.Agent(ctx, as.AgentID)
	if err != nil {
		return
	}
	if err := s.cfg.Audit.Record(ctx, as.AgentID, handoff.ActionRouted, e.ConversationID, ""); err != nil {
		s.log.Error("console: audit not recorded", "agent", as.AgentID, "action", "routed", "err", err)
	}
	s.joined(ctx, e, a.ID, a.Name)
}

// tellPlaces tells each waiting subscriber whose place improved their new
// place; the engine decides how often each channel hears of it.
func (s *Server) tellPlaces(ctx context.Context, queue []handoff.Entry) {
	waiting := make(map[string]bool, len(queue))
	for _, e := range queue {
		waiting[e.ConversationID] = true
		est, err := s.cfg.Desk.Estimate(ctx, e.ConversationID)
		if err != nil {
			continue
		}
		last, seen := s.loop.told[e.ConversationID]
		s.loop.told[e.ConversationID] = est.Position
		if !seen || est.Position >= last {
			continue
		}
		if err := s.cfg.Engine.QueueMoved(ctx, e, est); err != nil {
			s.log.Error("console: queue place not told", "conversation", e.ConversationID, "err", err)
		}
	}
	for id := range s.loop.told {
		if !waiting[id] {
			delete(s.loop.told, id)
		}
	}
}

// queueSig changes whenever an entry joins, leaves or changes.
func queueSig(queue []handoff.Entry) string {
	var b strings.Builder
	for _, e := range queue {
		b.WriteString(e.ConversationID)
		b.WriteByte('@')
		b.WriteString(strconv.FormatInt(e.Version, 10))
		b.WriteByte(' ')
	}
	return b.String()
}

// agentsSig changes whenever an agent changes.
func agentsSig(agents []handoff.Agent) string {
	var b strings.Builder
	for _, a := range agents {
		b.WriteString(a.ID)
		b.WriteByte('@')
		b.WriteString(strconv.FormatInt(a.Version, 10))
		b.WriteByte(' ')
	}
	return b.String()
}

// sendQueue shows each console the waiting entries it may see: all to a
// supervisor, those of the agent's groups (and of no group) to an agent.
func (s *Server) sendQueue(ctx context.Context, cs []*conn) {
	if len(cs) == 0 {
		return
	}
	queue, err := s.cfg.Desk.Queue(ctx)
	if err != nil {
		return
	}
	for _, c := range cs {
		entries := []entryFrame{}
		for i, e := range queue {
			if c.agent.Role == handoff.RoleSupervisor || e.Group == "" || slices.Contains(c.agent.Groups, e.Group) {
				entries = append(entries, newEntryFrame(e, i+1))
			}
		}
		c.sendFrame(map[string]any{"type": "queue", "entries": entries})
	}
}

// sendAgents shows the roster.
func (s *Server) sendAgents(ctx context.Context, cs []*conn) {
	agents, err := s.cfg.Desk.Agents(ctx)
	if err != nil || len(cs) == 0 {
		return
	}
	out := make([]agentFrame, 0, len(agents))
	for _, a := range agents {
		out = append(out, deskAgentFrame(a))
	}
	sendAll(cs, map[string]any{"type": "agents", "agents": out})
}

// sendMe shows an agent their own record.
func (s *Server) sendMe(a handoff.Agent) {
	s.toAgent(a.ID, map[string]any{"type": "me", "agent": deskAgentFrame(a)})
}

// sendAssigned gives an agent's consoles the view of a conversation they
// now hold.
func (s *Server) sendAssigned(ctx context.Context, conversationID, agentID string) {
	if len(s.hub.ofAgent(agentID)) == 0 && s.cfg.Relay == nil {
		return
	}
	v, err := s.view(ctx, conversationID)
	if err != nil {
		s.log.Error("console: view not built", "conversation", conversationID, "err", err)
		return
	}
	s.toAgent(agentID, map[string]any{"type": "assigned", "view": v})
}
