package main

import (
	"fmt"
	"time"
)

// Kinds of problem the check reports.
const (
	probMissing   = "missing_answer"
	probStuck     = "stuck"
	probDuplicate = "duplicate"
	probOrder     = "out_of_order"
	probAgent     = "no_agent_reply"
	probTicket    = "ticket"
)

// problem is one thing the check found wrong in a conversation.
type problem struct {
	Kind       string `json:"kind"`
	Channel    string `json:"channel"`
	Subscriber string `json:"subscriber"`
	Detail     string `json:"detail"`
}

func (p problem) String() string {
	return fmt.Sprintf("%s %s %s: %s", p.Kind, p.Channel, p.Subscriber, p.Detail)
}

// ticketLookup returns the numbers of the tickets with a phone (for a
// fault, the service number: the broadband account).
type ticketLookup func(phone string) ([]string, error)

// checker checks transcripts against what a correct gateway does.
type checker struct {
	// timeout is the longest a message may wait for its first answer.
	timeout time.Duration
	// tickets finds tickets; nil skips the ticket check.
	tickets ticketLookup
}

// check returns every problem of the transcripts.
func (c checker) check(trs []*transcript) []problem {
	var out []problem
	for _, tr := range trs {
		out = append(out, c.conversation(tr)...)
		out = append(out, c.faults(tr)...)
	}
	return out
}

// conversation checks one subscriber's turns: each answered once, in
// order, within the timeout, with no message delivered twice.
func (c checker) conversation(tr *transcript) []problem {
	var out []problem
	bad := func(kind, format string, args ...any) {
		out = append(out, problem{Kind: kind, Channel: tr.Channel, Subscriber: tr.Subscriber, Detail: fmt.Sprintf(format, args...)})
	}
	seen := map[string]int{} // reply id → turn number
	var lastSeq int64 = -1
	for i, t := range tr.Turns {
		n := i + 1
		if tr.Acked && t.Acks != 1 {
			bad(map[bool]string{true: probDuplicate, false: probMissing}[t.Acks > 1],
				"message %d (%s) acked %d times, want once", n, t.Key, t.Acks)
		}
		if t.Seq <= lastSeq {
			bad(probOrder, "message %d (%s) has seq %d after seq %d", n, t.Key, t.Seq, lastSeq)
		}
		lastSeq = max(lastSeq, t.Seq)
		d, ok := t.firstReply()
		switch {
		case !ok:
			bad(probMissing, "message %d %q (%s) was never answered", n, t.Text, t.Key)
		case d > c.timeout:
			bad(probStuck, "message %d %q (%s) waited %s for its answer (timeout %s)", n, t.Text, t.Key, d.Round(time.Millisecond), c.timeout)
		}
		if t.WantAgent && !t.hasFrom("agent") {
			bad(probAgent, "message %d %q (%s): no agent replied; got %q", n, t.Text, t.Key, clip(joinReplies(t), 200))
		}
		texts := map[string]bool{}
		for _, r := range t.Replies {
			if first, dup := seen[r.ID]; dup {
				bad(probDuplicate, "reply %s %q came twice (answers to messages %d and %d)", r.ID, r.Text, first, n)
			}
			seen[r.ID] = n
			key := r.From + "\x00" + r.Text
			if texts[key] {
				bad(probDuplicate, "message %d (%s) answered twice with the same %s text %q", n, t.Key, r.From, r.Text)
			}
			texts[key] = true
			if r.Seq <= lastSeq {
				bad(probOrder, "reply %s (seq %d) to message %d came after seq %d", r.ID, r.Seq, n, lastSeq)
			}
			lastSeq = max(lastSeq, r.Seq)
		}
	}
	return out
}

// faults checks that every completed fault report made exactly one
// ticket, the one the subscriber was told.
func (c checker) faults(tr *transcript) []problem {
	var out []problem
	bad := func(format string, args ...any) {
		out = append(out, problem{Kind: probTicket, Channel: tr.Channel, Subscriber: tr.Subscriber, Detail: fmt.Sprintf(format, args...)})
	}
	for _, f := range tr.Faults {
		if f.Ticket == "" {
			bad("the fault report with account %s was confirmed but no ticket number was told", f.Account)
			continue
		}
		if c.tickets == nil {
			continue
		}
		ids, err := c.tickets(f.Account)
		switch {
		case err != nil:
			bad("tickets of %s: %v", f.Account, err)
		case len(ids) != 1:
			bad("ticket %s: the API has %d tickets for account %s (%v), want exactly one", f.Ticket, len(ids), f.Account, ids)
		case ids[0] != f.Ticket:
			bad("the API's ticket for account %s is %s, the subscriber was told %s", f.Account, ids[0], f.Ticket)
		}
	}
	return out
}

// clip shortens s to at most n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
