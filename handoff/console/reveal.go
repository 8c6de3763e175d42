package console

import (
	"context"
	"fmt"

	"hotline/handoff"
)

// reveal shows one masked number of a message, or one sensitive detail,
// in full to the agent who holds the conversation or a supervisor, and
// writes the reveal to the audit log.
func (s *Server) reveal(ctx context.Context, c *conn, r request) string {
	if (r.Message == "") == (r.Detail == "") || r.Index < 0 {
		return codeBadFrame
	}
	if _, code := s.held(ctx, c, r.Conversation); code != "" && c.agent.Role != handoff.RoleSupervisor {
		return code
	}
	value, what, code := s.revealed(ctx, r)
	if code != "" {
		return code
	}
	s.audit(ctx, c, handoff.ActionReveal, r.Conversation, what)
	c.sendFrame(map[string]string{"type": "revealed", "req": r.Req, "value": value})
	return ""
}

// revealed finds the value asked for, and says what it was for the audit
// log without repeating it.
func (s *Server) revealed(ctx context.Context, r request) (value, what, code string) {
	if r.Detail != "" {
		e, err := s.cfg.Desk.Entry(ctx, r.Conversation)
		if err != nil {
			return "", "", codeOf(err)
		}
		for _, d := range e.Details {
			if d.Key == r.Detail && d.Sensitive {
				return d.Value, "detail " + d.Key, ""
			}
		}
		return "", "", codeNotFound
	}
	_, msgs, err := s.cfg.Engine.Transcript(ctx, r.Conversation, s.cfg.TranscriptLimit)
	if err != nil {
		return "", "", codeInternal
	}
	for _, m := range msgs {
		if m.ID != r.Message {
			continue
		}
		found := handoff.FindSensitive(m.Text)
		if r.Index >= len(found) {
			return "", "", codeNotFound
		}
		n := found[r.Index]
		return m.Text[n.Start:n.End], fmt.Sprintf("message seq %d %s %d", m.Seq, n.Kind, r.Index), ""
	}
	return "", "", codeNotFound
}
