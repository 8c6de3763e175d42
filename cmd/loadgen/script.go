package main

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync/atomic"
)

// Roles a subscriber plays, for the whole run.
const (
	roleAsker    = "asker"    // knowledge-base questions only
	roleReporter = "reporter" // a question, then a fault report
	roleCaller   = "caller"   // a question, then asks for a person and rates
)

// Kinds of turn, in the report's errors and the transcripts.
const (
	kindQuestion = "question"
	kindForm     = "form"
	kindConfirm  = "confirm"
	kindAgent    = "agent"
	kindRating   = "rating"
)

// outMsg is what a subscriber sends next.
type outMsg struct {
	Text    string
	Payload string
	Kind    string
	// WantAgent makes the turn wait for an agent's reply and the rating
	// question.
	WantAgent bool
}

// ticketIn finds a ticket number in a reply.
var ticketIn = regexp.MustCompile(`TK\d{8}-\d{6}`)

// accounts makes broadband accounts unique to the run, so that each
// fault report's ticket can be found by its number (a fault ticket's
// phone is the service number): lg, three digits of the run and a
// seven-digit counter.
type accounts struct {
	run  int
	next atomic.Int64
}

func (p *accounts) make() string {
	return fmt.Sprintf("lg%03d%07d", p.run, p.next.Add(1)%10000000)
}

// contactNumber is the contact number every form gives.
const contactNumber = "13912345678"

// script is a subscriber's sequence of messages: each round is a few
// questions, then for a reporter the broadband fault form and for a
// caller a request for an agent and the rating, over and over.
type script struct {
	role     string
	channel  string
	rng      *rand.Rand
	accounts *accounts

	step    int    // within the round
	inForm  bool   // answering the fault form
	account string // the form's broadband account
	confirm bool   // the last message confirmed the form
	// problems the script met (a question it cannot answer).
	errs func(kind string)
	// faults are the completed reports.
	faults []faultReport
}

// next returns the message to send after prev (nil before the first).
func (s *script) next(prev *turn) outMsg {
	if s.confirm {
		s.confirm = false
		s.faults = append(s.faults, faultReport{Account: s.account, Ticket: ticketIn.FindString(joinReplies(prev))})
	}
	if s.inForm {
		if m, ok := s.formStep(prev); ok {
			return m
		}
		s.inForm = false
		s.step = 0
	}
	return s.roundStep(prev)
}

// roundStep walks the round's fixed steps.
func (s *script) roundStep(prev *turn) outMsg {
	defer func() { s.step++ }()
	q := outMsg{Text: questions[s.rng.IntN(len(questions))], Kind: kindQuestion}
	switch s.role {
	case roleReporter:
		if s.step%2 == 1 {
			s.inForm = true
			s.account = s.accounts.make()
			return outMsg{Text: faultOpening, Kind: kindForm}
		}
	case roleCaller:
		switch s.step % 3 {
		case 1:
			return outMsg{Text: askAgent, Kind: kindAgent, WantAgent: true}
		case 2:
			if prev != nil && prev.hasFrom("agent") {
				return outMsg{Text: ratingAnswer, Kind: kindRating}
			}
		}
	}
	return q
}

// formStep answers the fault form's question in prev, or confirms its
// summary; false when the form is over or asks something unknown.
func (s *script) formStep(prev *turn) (outMsg, bool) {
	text := joinReplies(prev)
	if strings.Contains(text, "请核对") {
		s.confirm = true
		s.inForm = false
		return s.confirmMsg(prev), true
	}
	for _, a := range broadbandForm {
		if strings.Contains(text, a.asks) {
			ans := a.answer
			switch a.asks {
			case "宽带账号":
				ans = s.account
			case "电话":
				ans = contactNumber
			}
			return outMsg{Text: ans, Kind: kindForm}, true
		}
	}
	if s.errs != nil {
		s.errs("form_unexpected_question")
	}
	return outMsg{}, false
}

// confirmMsg confirms the form's summary as the channel does: the
// button on web chat, the short code on SMS, the word on WeChat.
func (s *script) confirmMsg(prev *turn) outMsg {
	m := outMsg{Text: "确认", Kind: kindConfirm}
	switch s.channel {
	case chanWebchat:
		for _, r := range prev.Replies {
			for _, c := range r.Choices {
				if c.Payload == "confirm" {
					m.Text, m.Payload = c.Label, c.Payload
				}
			}
		}
	case chanSMS:
		if strings.Contains(joinReplies(prev), "回复1") {
			m.Text = "1"
		}
	}
	return m
}

// joinReplies is the text of a turn's replies.
func joinReplies(t *turn) string {
	if t == nil {
		return ""
	}
	var b strings.Builder
	for _, r := range t.Replies {
		b.WriteString(r.Text)
		b.WriteByte('\n')
	}
	return b.String()
}
