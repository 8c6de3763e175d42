package console

import (
	"context"
	"time"

	"hotline/dialog"
	"hotline/handoff"
)

// actionTimeout bounds the work of one request.
const actionTimeout = 15 * time.Second

// handle runs one request from a console and answers it.
func (s *Server) handle(c *conn, r request) {
	ctx, cancel := context.WithTimeout(context.Background(), actionTimeout)
	defer cancel()
	if len(r.Req) == 0 || len(r.Req) > 64 {
		c.sendFrame(errorFrame(r.Req, codeBadFrame))
		return
	}
	act, ok := actions[r.Type]
	if !ok {
		c.sendFrame(errorFrame(r.Req, codeBadFrame))
		return
	}
	if code := act(s, ctx, c, r); code != "" {
		c.sendFrame(errorFrame(r.Req, code))
		return
	}
	if r.Type != "ping" && r.Type != "reveal" {
		c.sendFrame(okFrame(r.Req))
	}
}

// action does one kind of request and returns an error code, or "" when
// it succeeded.
type action func(s *Server, ctx context.Context, c *conn, r request) string

// actions are the request types of the protocol.
var actions map[string]action

func init() {
	actions = map[string]action{
		"ping":          (*Server).ping,
		"state":         (*Server).setState,
		"accept":        (*Server).accept,
		"open":          (*Server).open,
		"reply":         (*Server).reply,
		"note":          (*Server).note,
		"transfer":      (*Server).transfer,
		"close":         (*Server).closeConversation,
		"reveal":        (*Server).reveal,
		"ticket_open":   (*Server).ticketOpen,
		"ticket_update": (*Server).ticketUpdate,
	}
}

func (s *Server) ping(_ context.Context, c *conn, _ request) string {
	c.sendFrame(map[string]string{"type": "pong"})
	return ""
}

// setState sets the agent's own state.
func (s *Server) setState(ctx context.Context, c *conn, r request) string {
	to := handoff.State(r.State)
	if to != handoff.StateReady && to != handoff.StateBreak && to != handoff.StateOffline {
		return codeBadFrame
	}
	a, err := s.cfg.Desk.SetState(ctx, c.agent.ID, to)
	if err != nil {
		return s.failed(c, r, err)
	}
	s.audit(ctx, c, handoff.ActionState, "", "to "+string(a.State))
	s.sendMe(a)
	s.Kick()
	return ""
}

// accept takes a waiting conversation.
func (s *Server) accept(ctx context.Context, c *conn, r request) string {
	e, err := s.cfg.Desk.Accept(ctx, c.agent.ID, r.Conversation)
	if err != nil {
		return s.failed(c, r, err)
	}
	s.audit(ctx, c, handoff.ActionAccept, e.ConversationID, "")
	s.joined(ctx, e, c.agent.ID, c.agent.Name)
	s.Kick()
	return ""
}

// joined tells the subscriber who is with them and gives the agent the
// conversation, after the desk assigned it.
func (s *Server) joined(ctx context.Context, e handoff.Entry, agentID, name string) {
	ev := dialog.AgentEvent{ID: e.ConversationID + ":" + stamp(e.AssignedAt), Channel: string(e.Channel),
		Address: e.Address, AgentID: agentID, AgentName: name}
	if err := s.cfg.Engine.AgentJoined(ctx, ev); err != nil {
		s.log.Error("console: subscriber not told of the agent", "conversation", e.ConversationID,
			"agent", agentID, "err", err)
	}
	s.sendAssigned(ctx, e.ConversationID, agentID)
	if a, err := s.cfg.Desk.Agent(ctx, agentID); err == nil {
		s.sendMe(a)
	}
}

// stamp makes a time part of an idempotency key.
func stamp(t time.Time) string { return t.UTC().Format("20060102T150405.000000000") }

// open sends the view of a conversation the agent holds; a supervisor may
// open any conversation on the desk and then follows it live.
func (s *Server) open(ctx context.Context, c *conn, r request) string {
	e, err := s.cfg.Desk.Entry(ctx, r.Conversation)
	if err != nil {
		return s.failed(c, r, err)
	}
	if e.AgentID != c.agent.ID {
		if c.agent.Role != handoff.RoleSupervisor {
			return codeNotYours
		}
		s.hub.watch(e.ConversationID, c)
		s.audit(ctx, c, handoff.ActionView, e.ConversationID, "")
	}
	v, err := s.view(ctx, e.ConversationID)
	if err != nil {
		return s.failed(c, r, err)
	}
	c.sendFrame(map[string]any{"type": "conversation", "view": v})
	return ""
}

// failed logs an unexpected error and returns the code for any error.
func (s *Server) failed(c *conn, r request, err error) string {
	code := codeOf(err)
	if code == codeInternal {
		s.log.Error("console: request failed", "agent", c.agent.ID, "type", r.Type,
			"conversation", r.Conversation, "err", err)
	}
	return code
}

// audit records an agent's action; a failure is logged, never shown.
func (s *Server) audit(ctx context.Context, c *conn, act handoff.AuditAction, conversationID, detail string) {
	if err := s.cfg.Audit.Record(ctx, c.agent.ID, act, conversationID, detail); err != nil {
		s.log.Error("console: audit not recorded", "agent", c.agent.ID, "action", string(act), "err", err)
	}
}

// held returns the entry of a conversation the agent holds, or a code.
func (s *Server) held(ctx context.Context, c *conn, conversationID string) (handoff.Entry, string) {
	e, err := s.cfg.Desk.Entry(ctx, conversationID)
	if err != nil {
		return handoff.Entry{}, codeOf(err)
	}
	if e.Status != handoff.StatusAssigned || e.AgentID != c.agent.ID {
		return handoff.Entry{}, codeNotYours
	}
	return e, ""
}
