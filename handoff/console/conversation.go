package console

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"hotline/dialog"
	"hotline/handoff"
)

// maxTextRunes bounds a reply, a note and a summary.
const maxTextRunes = 2000

// clientIDForm is the form of a console's own message id.
var clientIDForm = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// checkText says whether a reply or note is acceptable.
func checkText(r request) bool {
	text := strings.TrimSpace(r.Text)
	return clientIDForm.MatchString(r.ClientID) && text != "" && utf8.RuneCountInString(text) <= maxTextRunes
}

// reply sends the agent's text to the subscriber on their channel. The
// message comes back to the console as a message frame, through the
// engine's watcher.
func (s *Server) reply(ctx context.Context, c *conn, r request) string {
	if !checkText(r) {
		return codeBadFrame
	}
	e, code := s.held(ctx, c, r.Conversation)
	if code != "" {
		return code
	}
	ev := dialog.AgentEvent{ID: c.agent.ID + ":" + r.ClientID, Channel: string(e.Channel),
		Address: e.Address, AgentID: c.agent.ID, AgentName: c.agent.Name, Text: strings.TrimSpace(r.Text)}
	if err := s.cfg.Engine.AgentSaid(ctx, ev); err != nil {
		return s.failed(c, r, err)
	}
	s.audit(ctx, c, handoff.ActionReply, e.ConversationID, "")
	return ""
}

// note keeps an internal note with the conversation and shows it to
// whoever follows the conversation.
func (s *Server) note(ctx context.Context, c *conn, r request) string {
	if !checkText(r) {
		return codeBadFrame
	}
	if _, code := s.held(ctx, c, r.Conversation); code != "" && c.agent.Role != handoff.RoleSupervisor {
		return code
	}
	n := handoff.Note{ID: c.agent.ID + ":" + r.ClientID, ConversationID: r.Conversation,
		AgentID: c.agent.ID, Text: strings.TrimSpace(r.Text), At: s.now()}
	if code := s.addNote(ctx, c, r, n); code != "" {
		return code
	}
	s.audit(ctx, c, handoff.ActionNote, r.Conversation, "")
	return ""
}

// addNote stores a note and shows it to those who follow the
// conversation, the author's other sockets included.
func (s *Server) addNote(ctx context.Context, c *conn, r request, n handoff.Note) string {
	added, err := s.cfg.Notes.AddNote(ctx, n)
	if err != nil {
		return s.failed(c, r, err)
	}
	if added {
		frame := map[string]any{"type": "note", "conversation": n.ConversationID, "note": newNoteFrame(n)}
		s.toConversation(ctx, n.ConversationID, frame, c)
	}
	return ""
}

func containsConn(cs []*conn, c *conn) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// transfer hands the conversation to another agent or back to a group's
// queue, with a note kept for whoever takes it next.
func (s *Server) transfer(ctx context.Context, c *conn, r request) string {
	if (r.Agent == "") == (r.Group == "" && !r.anyGroup()) || utf8.RuneCountInString(r.Note) > maxTextRunes {
		return codeBadFrame
	}
	group := r.Group
	if r.anyGroup() {
		group = ""
	}
	e, err := s.cfg.Desk.Transfer(ctx, r.Conversation, c.agent.ID,
		handoff.Target{AgentID: r.Agent, Group: group}, strings.TrimSpace(r.Note))
	if err != nil {
		return s.failed(c, r, err)
	}
	if note := strings.TrimSpace(r.Note); note != "" {
		n := handoff.Note{ID: c.agent.ID + ":transfer:" + stamp(s.now()), ConversationID: e.ConversationID,
			AgentID: c.agent.ID, Text: note, At: s.now()}
		_ = s.addNote(ctx, c, r, n)
	}
	detail := "to group " + r.Group
	if r.Agent != "" {
		detail = "to agent " + r.Agent
	}
	s.audit(ctx, c, handoff.ActionTransfer, e.ConversationID, detail)
	s.released(c.agent.ID, e.ConversationID, "transferred")
	s.passedOn(ctx, c, e, r.Agent)
	if a, err := s.cfg.Desk.Agent(ctx, c.agent.ID); err == nil {
		s.sendMe(a)
	}
	s.Kick()
	return ""
}

// anyGroup reports a transfer to the queue of any agent, which the
// console names "*".
func (r request) anyGroup() bool { return r.Group == "*" }

// passedOn tells the subscriber and the receiving agent about a transfer.
func (s *Server) passedOn(ctx context.Context, c *conn, e handoff.Entry, toAgent string) {
	ev := dialog.AgentEvent{ID: e.ConversationID + ":" + stamp(s.now()), Channel: string(e.Channel),
		Address: e.Address, AgentID: c.agent.ID}
	if toAgent == "" {
		if err := s.cfg.Engine.AgentTransferred(ctx, ev, true); err != nil {
			s.log.Error("console: subscriber not told of the transfer", "conversation", e.ConversationID, "err", err)
		}
		return
	}
	if to, err := s.cfg.Accounts.Account(ctx, toAgent); err == nil {
		ev.AgentName = to.Name
	}
	if err := s.cfg.Engine.AgentTransferred(ctx, ev, false); err != nil {
		s.log.Error("console: subscriber not told of the transfer", "conversation", e.ConversationID, "err", err)
	}
	s.sendAssigned(ctx, e.ConversationID, toAgent)
	if a, err := s.cfg.Desk.Agent(ctx, toAgent); err == nil {
		s.sendMe(a)
	}
}

// closeConversation ends the conversation with a wrap-up: the desk lets
// it go, the subscriber is asked to rate the service, and the wrap-up is
// kept with the conversation's notes.
func (s *Server) closeConversation(ctx context.Context, c *conn, r request) string {
	if !s.wrapCode(r.Code) || utf8.RuneCountInString(r.Summary) > maxTextRunes {
		return codeBadFrame
	}
	closed, err := s.cfg.Desk.Close(ctx, r.Conversation, c.agent.ID,
		handoff.WrapUp{Code: r.Code, Summary: strings.TrimSpace(r.Summary)})
	if err != nil {
		return s.failed(c, r, err)
	}
	e := closed.Entry
	ev := dialog.AgentEvent{ID: e.ConversationID + ":" + stamp(closed.ClosedAt), Channel: string(e.Channel),
		Address: e.Address, AgentID: c.agent.ID, AgentName: c.agent.Name}
	if err := s.cfg.Engine.AgentClosed(ctx, ev); err != nil {
		s.log.Error("console: subscriber not told of the close", "conversation", e.ConversationID, "err", err)
	}
	text := "[" + r.Code + "] " + strings.TrimSpace(r.Summary)
	n := handoff.Note{ID: c.agent.ID + ":wrapup:" + stamp(closed.ClosedAt), ConversationID: e.ConversationID,
		AgentID: c.agent.ID, Text: text, At: closed.ClosedAt}
	_ = s.addNote(ctx, c, r, n)
	s.audit(ctx, c, handoff.ActionClose, e.ConversationID, "code "+r.Code)
	s.released(c.agent.ID, e.ConversationID, "closed")
	if a, err := s.cfg.Desk.Agent(ctx, c.agent.ID); err == nil {
		s.sendMe(a)
	}
	s.Kick()
	return ""
}

// wrapCode reports whether code is one of the configured wrap-up codes.
func (s *Server) wrapCode(code string) bool {
	for _, l := range s.cfg.WrapCodes {
		if l.Code == code {
			return true
		}
	}
	return false
}

// released tells an agent they no longer hold a conversation.
func (s *Server) released(agentID, conversationID, why string) {
	s.toAgent(agentID, map[string]string{"type": "released", "conversation": conversationID, "why": why})
}
