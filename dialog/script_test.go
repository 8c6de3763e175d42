package dialog_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"hotline/channels"
	"hotline/dialog"
	"hotline/tickets"
)

var update = flag.Bool("update", false, "rewrite the expected results in testdata/scripts")

// script is a scripted conversation: what the subscriber does, turn by
// turn, and what the bot must answer.
type script struct {
	Name string `yaml:"name"`
	Lang string `yaml:"lang,omitempty"`
	// Agents, when set, gives the engine an agent desk with these agents
	// signed in and ready.
	Agents []agentSpec  `yaml:"agents,omitempty"`
	Turns  []scriptTurn `yaml:"turns"`
	// Visits, when set, are the visits the conversation must have
	// recorded by its end, oldest first.
	Visits []wantVisit `yaml:"visits,omitempty"`
}

// wantVisit is what a visit recorded: its counts, whether it went to an
// agent and got a reply, its rating, and whether it ended.
type wantVisit struct {
	Answered   int    `yaml:"answered"`
	Unanswered int    `yaml:"unanswered"`
	Tickets    int    `yaml:"tickets"`
	Handoff    bool   `yaml:"handoff"`
	Agent      string `yaml:"agent,omitempty"`
	Replied    bool   `yaml:"replied"`
	Rating     int    `yaml:"rating,omitempty"`
	RatedAgent string `yaml:"rated_agent,omitempty"`
	Ended      bool   `yaml:"ended"`
}

// agentSpec is an agent at the desk of a script.
type agentSpec struct {
	ID     string   `yaml:"id"`
	Groups []string `yaml:"groups,omitempty"`
	Max    int      `yaml:"max"`
	// State is the agent's state at the start: ready (the default), break
	// or offline.
	State string `yaml:"state,omitempty"`
}

type scriptTurn struct {
	// Say is the subscriber's text; Payload a quick reply's payload.
	Say     string `yaml:"say,omitempty"`
	Payload string `yaml:"payload,omitempty"`
	// ID is the provider message id; a repeated id is a provider retry.
	ID string `yaml:"id,omitempty"`
	// Wait lets time pass and runs the idle sweep instead of a message.
	Wait string `yaml:"wait,omitempty"`
	// Office is a change the back office makes to the subscriber's latest
	// ticket instead of a message; the notices it causes are delivered.
	Office *officeStep `yaml:"office,omitempty"`
	// Outage declares or closes a network outage instead of a message.
	Outage *outageStep `yaml:"outage,omitempty"`
	// Restart closes the store and engine and opens them again first.
	Restart bool `yaml:"restart,omitempty"`
	// Accept has the named agent take the head of the queue instead of a
	// message.
	Accept string `yaml:"accept,omitempty"`
	// AgentSays is a reply of the agent holding the conversation; the same
	// AgentID again is a console's retry.
	AgentSays string `yaml:"agent_says,omitempty"`
	AgentID   string `yaml:"agent_id,omitempty"`
	// Close has the named agent close the conversation with a wrap-up.
	Close string `yaml:"close,omitempty"`
	// DeskWait lets time pass and runs the agent desk's timers.
	DeskWait string `yaml:"desk_wait,omitempty"`
	// Want is what must follow.
	Want want `yaml:"want"`
}

// officeStep is a back-office change to a ticket.
type officeStep struct {
	Status     string `yaml:"status,omitempty"`
	Resolution string `yaml:"resolution,omitempty"`
	Note       string `yaml:"note,omitempty"`
}

// outageStep declares an outage, moves its fix time, or closes it.
type outageStep struct {
	Service string `yaml:"service,omitempty"`
	Area    string `yaml:"area,omitempty"`
	Fix     string `yaml:"fix,omitempty"` // from now, e.g. 3h
	Close   string `yaml:"close,omitempty"`
}

type want struct {
	State      string      `yaml:"state"`
	Tickets    []string    `yaml:"tickets,omitempty"`
	Duplicate  bool        `yaml:"duplicate,omitempty"`
	Replies    []wantReply `yaml:"replies"`
	Unanswered int         `yaml:"unanswered,omitempty"`
}

type wantReply struct {
	From  string   `yaml:"from"`
	Text  string   `yaml:"text"`
	Quick []string `yaml:"quick,omitempty"`
}

// TestScripts replays every conversation in testdata/scripts against the
// real engine, the shipped knowledge base, intents and texts, and the
// embedded store. Run with -update to rewrite the expectations after a
// deliberate change, then review the diff.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/scripts/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts found: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { runScript(t, f) })
	}
}

func runScript(t *testing.T, path string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s script
	if err := yaml.Unmarshal(raw, &s); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}

	h := newHarness(t, shippedKnowledge(t), withAgents(t, s.Agents))
	for i := range s.Turns {
		got := h.play(t, s.Lang, s.Turns[i])
		if *update {
			s.Turns[i].Want = got
			continue
		}
		if !equalWant(got, s.Turns[i].Want) {
			t.Errorf("turn %d (%q): got\n%s\nwant\n%s", i+1, s.Turns[i].Say,
				dump(got), dump(s.Turns[i].Want))
		}
	}

	if s.Visits != nil || *update {
		got := h.visits(t)
		if *update {
			s.Visits = got
		} else if x, y := yamlOf(got), yamlOf(s.Visits); x != y {
			t.Errorf("visits: got\n%s\nwant\n%s", x, y)
		}
	}

	if *update {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// play runs one turn and reports what happened.
func (h *harness) play(t *testing.T, lang string, st scriptTurn) want {
	t.Helper()
	ctx := context.Background()
	h.rec.take()
	var w want

	if st.Restart {
		if err := h.store.Close(); err != nil {
			t.Fatal(err)
		}
		h.open(t)
	}
	switch {
	case st.Office != nil:
		h.clock.advance(time.Minute)
		h.office(t, *st.Office)
	case st.Outage != nil:
		h.clock.advance(time.Minute)
		h.outage(t, *st.Outage)
	case st.Accept != "":
		h.accept(t, st.Accept)
	case st.DeskWait != "":
		d, err := time.ParseDuration(st.DeskWait)
		if err != nil {
			t.Fatalf("bad desk_wait %q: %v", st.DeskWait, err)
		}
		h.clock.advance(d)
		h.sweepDesk(t)
	case st.Close != "":
		h.closeByAgent(t, st.Close)
	case st.AgentSays != "":
		h.agentSays(t, st.AgentID, st.AgentSays)
	case st.Wait != "":
		d, err := time.ParseDuration(st.Wait)
		if err != nil {
			t.Fatalf("bad wait %q: %v", st.Wait, err)
		}
		h.clock.advance(d)
		h.sweeper.Sweep(ctx)
	default:
		h.clock.advance(time.Second)
		rec, err := h.engine.Receive(ctx, channels.Inbound{
			Channel: "test", Address: "subscriber-1", ProviderID: st.ID,
			Text: st.Say, Payload: st.Payload, Lang: lang, ReceivedAt: h.clock.Now(),
		})
		if err != nil {
			t.Fatalf("receive %q: %v", st.Say, err)
		}
		w.Duplicate = rec.Duplicate
	}

	for _, m := range h.rec.take() {
		r := wantReply{From: m.From, Text: m.Text}
		for _, q := range m.QuickReplies {
			r.Quick = append(r.Quick, q.Payload)
		}
		w.Replies = append(w.Replies, r)
	}
	conv, err := h.store.FindConversation(ctx, "test", "subscriber-1")
	if err != nil && !errors.Is(err, dialog.ErrNotFound) {
		t.Fatalf("load conversation: %v", err)
	}
	w.State = conv.State
	w.Unanswered = h.unansweredDelta(t)
	w.Tickets = h.ticketLines(t)
	return w
}

// visits reads the visits the store recorded, oldest first.
func (h *harness) visits(t *testing.T) []wantVisit {
	t.Helper()
	db := h.store.DB()
	rows, err := db.Reader().QueryContext(context.Background(), `SELECT answered, unanswered,
		tickets, handoff_at, agent_id, first_reply_at, rating, rated_agent, ended_at
		FROM visits ORDER BY started_at, id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []wantVisit
	for rows.Next() {
		var v wantVisit
		var handoff, reply, ended int64
		if err := rows.Scan(&v.Answered, &v.Unanswered, &v.Tickets, &handoff, &v.Agent, &reply,
			&v.Rating, &v.RatedAgent, &ended); err != nil {
			t.Fatal(err)
		}
		v.Handoff, v.Replied, v.Ended = handoff > 0, reply > 0, ended > 0
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// ticketLines describes the subscriber's tickets, newest first.
func (h *harness) ticketLines(t *testing.T) []string {
	t.Helper()
	owner := tickets.Owner{Channel: "test", Address: "subscriber-1"}
	page, err := h.tickets.List(context.Background(), tickets.Filter{Owner: &owner, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tk := range page.Tickets {
		line := fmt.Sprintf("%s %s/%s %s p%d", tk.ID, tk.Kind, tk.Category, tk.Status, tk.Priority)
		if tk.OutageID != "" {
			line += " outage " + tk.OutageID
		}
		if tk.Rating != 0 {
			line += fmt.Sprintf(" rated %d", tk.Rating)
		}
		out = append(out, line)
	}
	return out
}

// office applies a back-office change to the newest ticket and delivers
// the notices.
func (h *harness) office(t *testing.T, o officeStep) {
	t.Helper()
	ctx := context.Background()
	owner := tickets.Owner{Channel: "test", Address: "subscriber-1"}
	page, err := h.tickets.List(ctx, tickets.Filter{Owner: &owner, Limit: 1})
	if err != nil || len(page.Tickets) == 0 {
		t.Fatalf("no ticket to change: %v", err)
	}
	u := tickets.Update{Note: o.Note}
	if o.Status != "" {
		s := tickets.Status(o.Status)
		u.Status = &s
	}
	if o.Resolution != "" {
		u.Resolution = &o.Resolution
	}
	if _, err := h.tickets.Apply(ctx, page.Tickets[0].ID, u, "backoffice", nil); err != nil {
		t.Fatalf("back office: %v", err)
	}
	h.deliverNotices(t)
}

// outage declares an outage, or moves or closes the open one, and
// delivers the notices.
func (h *harness) outage(t *testing.T, o outageStep) {
	t.Helper()
	ctx := context.Background()
	open, err := h.tickets.Outages(ctx, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	var fix time.Time
	if o.Fix != "" {
		d, err := time.ParseDuration(o.Fix)
		if err != nil {
			t.Fatalf("bad fix %q: %v", o.Fix, err)
		}
		fix = h.clock.Now().Add(d)
	}
	switch {
	case o.Close != "" && len(open) > 0:
		_, err = h.tickets.CloseOutage(ctx, open[0].ID, o.Close)
	case o.Service == "" && len(open) > 0:
		_, err = h.tickets.UpdateOutage(ctx, open[0].ID, tickets.OutageUpdate{ExpectedFix: &fix})
	default:
		_, err = h.tickets.DeclareOutage(ctx, tickets.OutageDraft{
			Service: o.Service, Area: o.Area, Description: "test outage", ExpectedFix: fix})
	}
	if err != nil {
		t.Fatalf("outage: %v", err)
	}
	h.deliverNotices(t)
}

func equalWant(a, b want) bool {
	x, _ := yaml.Marshal(a)
	y, _ := yaml.Marshal(b)
	return bytes.Equal(x, y)
}

func dump(w want) string { return yamlOf(w) }

func yamlOf(v any) string {
	b, _ := yaml.Marshal(v)
	return string(b)
}

// recorder is a Notifier that keeps what the engine sent.
type recorder struct {
	mu   sync.Mutex
	msgs []dialog.Message
}

func (r *recorder) Notify(_ dialog.Conversation, msgs []dialog.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, msgs...)
}

func (r *recorder) take() []dialog.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.msgs
	r.msgs = nil
	return out
}
