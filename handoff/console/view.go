package console

import (
	"context"
	"strings"
	"unicode/utf8"

	"hotline/dialog"
	"hotline/handoff"
	"hotline/tickets"
)

// maxTickets is how many of the subscriber's tickets a view lists.
const maxTickets = 20

// view gathers what an agent sees of a conversation: the transcript, the
// desk's entry with what the bot collected, the subscriber's tickets and
// the notes. Numbers are masked.
func (s *Server) view(ctx context.Context, conversationID string) (view, error) {
	conv, msgs, err := s.cfg.Engine.Transcript(ctx, conversationID, s.cfg.TranscriptLimit)
	if err != nil {
		return view{}, err
	}
	v := view{Conversation: conv.ID, Channel: conv.Channel, Lang: conv.Lang, State: conv.State,
		Address: shownAddress(conv), Details: []detailFrame{}, Messages: make([]messageFrame, 0, len(msgs)),
		Tickets: []ticketFrame{}, Notes: []noteFrame{}}
	for _, m := range msgs {
		v.Messages = append(v.Messages, newMessageFrame(m))
	}
	if e, err := s.cfg.Desk.Entry(ctx, conversationID); err == nil {
		ef := newEntryFrame(e, 0)
		v.Entry = &ef
		for _, d := range e.Details {
			v.Details = append(v.Details, newDetailFrame(d))
		}
	}
	v.Tickets = s.ticketsOf(ctx, conv)
	notes, err := s.cfg.Notes.Notes(ctx, conversationID)
	if err != nil {
		return view{}, err
	}
	for _, n := range notes {
		v.Notes = append(v.Notes, newNoteFrame(n))
	}
	return v, nil
}

// ticketsOf lists the subscriber's tickets, open ones first as the
// service returns them; without a ticket service there are none.
func (s *Server) ticketsOf(ctx context.Context, conv dialog.Conversation) []ticketFrame {
	out := []ticketFrame{}
	if s.cfg.Tickets == nil {
		return out
	}
	mine, err := s.cfg.Tickets.Mine(ctx, owner(conv), maxTickets)
	if err != nil {
		s.log.Error("console: tickets not listed", "conversation", conv.ID, "err", err)
		return out
	}
	for _, t := range mine {
		out = append(out, newTicketFrame(t))
	}
	return out
}

// owner is the ticket owner a conversation speaks for.
func owner(c dialog.Conversation) tickets.Owner {
	return tickets.Owner{Channel: c.Channel, Address: c.Address, SubscriberID: c.SubscriberID}
}

// shownAddress is how the console shows where the subscriber is: a phone
// number masked, any other address by its channel only.
func shownAddress(c dialog.Conversation) string {
	if masked := handoff.Mask(c.Address); masked != c.Address {
		return masked
	}
	return ""
}

// newMessageFrame is a transcript message for the console, its numbers
// masked. An agent's own reply carries the console's id for it, so the
// console can match it with what it sent.
func newMessageFrame(m dialog.Message) messageFrame {
	f := messageFrame{ID: m.ID, Seq: m.Seq, From: m.From, Text: handoff.Mask(m.Text), At: m.CreatedAt,
		Masked: len(handoff.FindSensitive(m.Text))}
	if m.From == dialog.FromAgent {
		if key, ok := strings.CutPrefix(m.ProviderID, "agent-msg:"); ok {
			if _, id, ok := strings.Cut(key, ":"); ok {
				f.ClientID = id
			}
		}
	}
	if m.Event != nil {
		f.Event = m.Event.Name
	}
	return f
}

// newDetailFrame masks a sensitive detail: its numbers, or all but its
// first and last characters when it has none.
func newDetailFrame(d handoff.Detail) detailFrame {
	f := detailFrame{Key: d.Key, Label: d.Label, Value: d.Value, Sensitive: d.Sensitive}
	if d.Sensitive {
		f.Value = maskDetail(d.Value)
	}
	return f
}

func maskDetail(v string) string {
	if masked := handoff.Mask(v); masked != v {
		return masked
	}
	n := utf8.RuneCountInString(v)
	if n <= 2 {
		return strings.Repeat("*", n)
	}
	r := []rune(v)
	return string(r[0]) + strings.Repeat("*", n-2) + string(r[n-1])
}
