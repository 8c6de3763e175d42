package dialog_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"hotline/dialog"
	"hotline/handoff"
	"hotline/store/convdb"
	"hotline/store/sqldb"
	"hotline/tickets"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// harness is an engine over a real embedded store in a temporary folder.
type harness struct {
	dir       string
	store     *convdb.Store
	engine    *dialog.Engine
	tickets   *tickets.Service
	ticketDB  *sqldb.Tickets
	sweeper   *dialog.Sweeper
	clock     *fakeClock
	rec       *recorder
	know      *dialog.Knowledge
	texts     *dialog.Texts
	unseen    int
	desk      *handoff.Desk // nil: no agent desk
	closes    int           // agent closes so far, for their ids
	idle      time.Duration
	retention time.Duration
	flood     int // the engine's answers per minute; 0: no limit
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func newHarness(t *testing.T, know *dialog.Knowledge, opts ...func(*harness)) *harness {
	t.Helper()
	texts, err := dialog.LoadTexts("../configs/messages.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{
		dir:       t.TempDir(),
		clock:     &fakeClock{now: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)},
		rec:       &recorder{},
		know:      know,
		texts:     texts,
		idle:      30 * time.Minute,
		retention: 30 * 24 * time.Hour,
	}
	for _, o := range opts {
		o(h)
	}
	h.open(t)
	t.Cleanup(func() { _ = h.store.Close() })
	return h
}

// open (re)opens the store and builds the engine on it.
func (h *harness) open(t *testing.T) {
	t.Helper()
	st, err := convdb.Open(context.Background(), h.dir, convdb.Options{Synchronous: "normal"})
	if err != nil {
		t.Fatal(err)
	}
	h.store = st
	h.ticketDB = sqldb.NewTickets(st.DB(), sqldb.WithLocation(shanghai))
	policy := tickets.DefaultPolicy()
	policy.Location = shanghai
	h.tickets = tickets.NewService(tickets.Config{
		Store: h.ticketDB, Policy: policy, Now: h.clock.Now, Log: discard,
	})
	h.engine = dialog.NewEngine(dialog.EngineConfig{
		Store: st, Knowledge: h.know, Texts: h.texts, Clock: h.clock, Log: discard,
		Notifier: h.rec, CacheSize: 1000, Tickets: h.tickets, Location: shanghai,
		Agents: h.agentDesk(), AnswersPerMinute: h.flood,
	})
	h.sweeper = dialog.NewSweeper(h.engine, h.idle, h.retention)
}

// unansweredDelta returns how many questions were logged since last asked.
func (h *harness) unansweredDelta(t *testing.T) int {
	t.Helper()
	all, err := h.store.UnansweredSince(context.Background(), time.Time{}, 100000)
	if err != nil {
		t.Fatal(err)
	}
	d := len(all) - h.unseen
	h.unseen = len(all)
	return d
}

// shanghai is the operator's time zone in the tests.
var shanghai = time.FixedZone("CST", 8*3600)

// deliverNotices hands the pending subscriber notices to the engine, as the
// notice relay does, and reports how many there were.
func (h *harness) deliverNotices(t *testing.T) int {
	t.Helper()
	ctx := context.Background()
	events, err := h.ticketDB.PendingEvents(ctx, tickets.ConsumerNotify, 100)
	if err != nil {
		t.Fatal(err)
	}
	seqs := make([]int64, 0, len(events))
	for _, ev := range events {
		if err := h.engine.TicketNotice(ctx, ev); err != nil {
			t.Fatalf("notice %d: %v", ev.Seq, err)
		}
		seqs = append(seqs, ev.Seq)
	}
	if err := h.ticketDB.EventsHandled(ctx, tickets.ConsumerNotify, seqs); err != nil {
		t.Fatal(err)
	}
	return len(events)
}

func shippedKnowledge(t *testing.T) *dialog.Knowledge {
	t.Helper()
	k, err := dialog.OpenKnowledge(dialog.KnowledgeFiles{
		KB:      filepath.Join("..", "configs", "faq.yaml"),
		Intents: filepath.Join("..", "configs", "intents.yaml"),
		Flows:   filepath.Join("..", "configs", "flows.yaml"),
	}, discard)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// agentDesk is the harness's desk as the engine takes it: nil when the
// harness has none.
func (h *harness) agentDesk() dialog.AgentDesk {
	if h.desk == nil {
		return nil
	}
	return h.desk
}

// withAgents gives the harness an agent desk in memory, on its clock, with
// the agents signed in and in their starting states; none gives no desk.
func withAgents(t *testing.T, agents []agentSpec) func(*harness) {
	return func(h *harness) {
		if len(agents) == 0 {
			return
		}
		d, err := handoff.NewDesk(handoff.NewMemStore(), h.clock.Now,
			handoff.Config{DefaultHandleTime: 4 * time.Minute, WaitLimit: 10 * time.Minute}, discard)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		for _, a := range agents {
			p := handoff.Profile{ID: a.ID, Name: a.ID, Role: handoff.RoleAgent,
				Groups: a.Groups, MaxConcurrent: a.Max}
			if _, err := d.Register(ctx, p); err != nil {
				t.Fatal(err)
			}
			state := handoff.State(a.State)
			if state == "" {
				state = handoff.StateReady
			}
			if state != handoff.StateOffline {
				if _, err := d.SetState(ctx, a.ID, state); err != nil {
					t.Fatalf("agent %s to %s: %v", a.ID, state, err)
				}
			}
		}
		h.desk = d
	}
}

// accept has the agent take the head of the queue.
func (h *harness) accept(t *testing.T, agentID string) {
	t.Helper()
	ctx := context.Background()
	queue, err := h.desk.Queue(ctx)
	if err != nil || len(queue) == 0 {
		t.Fatalf("nothing to accept: %v", err)
	}
	e := queue[0]
	if _, err := h.desk.Accept(ctx, agentID, e.ConversationID); err != nil {
		t.Fatalf("accept: %v", err)
	}
	// As the console would, once the desk gave the agent the conversation.
	err = h.engine.AgentJoined(ctx, dialog.AgentEvent{ID: "join-" + e.ConversationID,
		Channel: string(e.Channel), Address: e.Address, AgentID: agentID, AgentName: agentID})
	if err != nil {
		t.Fatalf("agent joined: %v", err)
	}
}

// agentSays has the agent holding the conversation reply.
func (h *harness) agentSays(t *testing.T, id, text string) {
	t.Helper()
	err := h.engine.AgentSaid(context.Background(), dialog.AgentEvent{ID: id,
		Channel: "test", Address: "subscriber-1", AgentID: "a1", AgentName: "a1", Text: text})
	if err != nil {
		t.Fatalf("agent says: %v", err)
	}
}

// closeByAgent has the agent close the conversation they hold, with a
// wrap-up, as the console would.
func (h *harness) closeByAgent(t *testing.T, agentID string) {
	t.Helper()
	ctx := context.Background()
	e, err := h.desk.Entry(ctx, h.conversationID(t))
	if err != nil {
		t.Fatalf("entry: %v", err)
	}
	if _, err := h.desk.Close(ctx, e.ConversationID, agentID,
		handoff.WrapUp{Code: "resolved", Summary: "line checked"}); err != nil {
		t.Fatalf("close: %v", err)
	}
	h.closes++
	err = h.engine.AgentClosed(ctx, dialog.AgentEvent{ID: fmt.Sprint("close-", h.closes),
		Channel: string(e.Channel), Address: e.Address, AgentID: agentID, AgentName: agentID})
	if err != nil {
		t.Fatalf("agent closed: %v", err)
	}
}

// conversationID is the id of the test subscriber's conversation.
func (h *harness) conversationID(t *testing.T) string {
	t.Helper()
	c, err := h.store.FindConversation(context.Background(), "test", "subscriber-1")
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// sweepDesk runs the desk's timers and tells the subscribers whose wait
// expired, as the gateway's ticker would.
func (h *harness) sweepDesk(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	swept, err := h.desk.Sweep(ctx)
	if err != nil {
		t.Fatalf("sweep: %v", err)
	}
	for _, e := range swept.Expired {
		if err := h.engine.QueueExpired(ctx, e.ConversationID+"/"+e.EnqueuedAt.String(), e); err != nil {
			t.Fatalf("queue expired: %v", err)
		}
	}
}
