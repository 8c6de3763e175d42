package console

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"hotline/handoff"
	"hotline/tickets"
)

// ticketOpen opens a ticket for the subscriber of a conversation the agent
// holds. The request id makes it idempotent: the same request sent again
// returns the same ticket.
func (s *Server) ticketOpen(ctx context.Context, c *conn, r request) string {
	summary := strings.TrimSpace(r.Summary)
	kind := tickets.Kind(r.Kind)
	if s.cfg.Tickets == nil || !kind.Valid() || summary == "" || utf8.RuneCountInString(summary) > maxTextRunes {
		return codeBadFrame
	}
	e, code := s.held(ctx, c, r.Conversation)
	if code != "" {
		return code
	}
	conv, _, err := s.cfg.Engine.Transcript(ctx, e.ConversationID, 1)
	if err != nil {
		return s.failed(c, r, err)
	}
	t, _, err := s.cfg.Tickets.Open(ctx, tickets.Draft{Kind: kind, Category: r.Category,
		Owner: owner(conv), ConversationID: conv.ID, Source: conv.Channel,
		SourceKey: "console:" + c.agent.ID + ":" + r.Req, Summary: summary, Actor: "agent:" + c.agent.ID})
	if errors.Is(err, tickets.ErrInvalid) {
		return codeBadFrame
	}
	if err != nil {
		return s.failed(c, r, err)
	}
	s.audit(ctx, c, handoff.ActionTicket, conv.ID, "open "+t.ID)
	s.sendTicket(ctx, c, conv.ID, t)
	return ""
}

// ticketUpdate moves one of the subscriber's tickets on, with a note; a
// resolution takes the note as its written result.
func (s *Server) ticketUpdate(ctx context.Context, c *conn, r request) string {
	status := tickets.Status(r.Status)
	note := strings.TrimSpace(r.Note)
	if s.cfg.Tickets == nil || r.Ticket == "" || utf8.RuneCountInString(note) > maxTextRunes {
		return codeBadFrame
	}
	e, code := s.held(ctx, c, r.Conversation)
	if code != "" {
		return code
	}
	conv, _, err := s.cfg.Engine.Transcript(ctx, e.ConversationID, 1)
	if err != nil {
		return s.failed(c, r, err)
	}
	if _, err := s.cfg.Tickets.Lookup(ctx, owner(conv), r.Ticket); err != nil {
		return codeNotFound // someone else's ticket reads as no ticket
	}
	u := tickets.Update{Note: note}
	if status != "" {
		u.Status = &status
		if status == tickets.StatusResolved {
			u.Resolution = &note
		}
	}
	t, err := s.cfg.Tickets.Apply(ctx, r.Ticket, u, "agent:"+c.agent.ID, nil)
	var te *tickets.TransitionError
	if errors.As(err, &te) || errors.Is(err, tickets.ErrInvalid) {
		return codeBadState
	}
	if err != nil {
		return s.failed(c, r, err)
	}
	s.audit(ctx, c, handoff.ActionTicket, conv.ID, "update "+t.ID+" to "+string(t.Status))
	s.sendTicket(ctx, c, conv.ID, t)
	return ""
}

// sendTicket shows a ticket to those who follow the conversation.
func (s *Server) sendTicket(ctx context.Context, c *conn, conversationID string, t tickets.Ticket) {
	s.toConversation(ctx, conversationID, map[string]any{"type": "ticket", "conversation": conversationID,
		"ticket": newTicketFrame(t)}, c)
}
