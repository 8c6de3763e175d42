package reports

import (
	"context"
	"slices"
	"sort"
	"time"

	"hotline/handoff"
)

// Desk is the part of the agent desk the live view reads.
type Desk interface {
	// Queue returns the conversations waiting and assigned.
	Queue(ctx context.Context) ([]handoff.Entry, error)
	// Agents returns every agent with their state.
	Agents(ctx context.Context) ([]handoff.Agent, error)
}

// LiveSource counts what is open now in the database.
type LiveSource interface {
	// OpenConversations counts per channel the conversations not closed
	// that were active at or after since.
	OpenConversations(ctx context.Context, since time.Time) (map[string]int, error)
	// TicketRisks counts the open tickets at risk and past a deadline,
	// per ticket kind.
	TicketRisks(ctx context.Context) (map[string]Risk, error)
}

// Risk counts open tickets near and past their deadlines.
type Risk struct {
	// AtRisk tickets have used most of the time to a deadline.
	AtRisk int `json:"at_risk"`
	// Breached tickets are past one.
	Breached int `json:"breached"`
}

// Live is the state of the service now.
type Live struct {
	// At is when it was read.
	At time.Time `json:"at"`
	// Queue is the waiting conversations per skill group.
	Queue []GroupQueue `json:"queue"`
	// Agents counts agents per state; Roster lists them.
	Agents map[string]int `json:"agents"`
	// Roster: see Agents.
	Roster []AgentNow `json:"roster"`
	// Conversations counts open conversations per channel.
	Conversations map[string]int `json:"conversations"`
	// Tickets counts open tickets at risk and breached per kind; Total
	// all kinds.
	Tickets map[string]Risk `json:"tickets"`
	// TicketsTotal: see Tickets.
	TicketsTotal Risk `json:"tickets_total"`
}

// GroupQueue is one skill group's queue.
type GroupQueue struct {
	// Group names the skill group; empty is any agent.
	Group string `json:"group"`
	// Waiting is how many conversations wait.
	Waiting int `json:"waiting"`
	// Assigned is how many are with an agent.
	Assigned int `json:"assigned"`
	// LongestWaitSecs is how long the longest waiting one has waited.
	LongestWaitSecs int64 `json:"longest_wait_secs"`
}

// AgentNow is one agent's state.
type AgentNow struct {
	// ID and Name say who.
	ID string `json:"id"`
	// Name: see ID.
	Name string `json:"name"`
	// State is the agent's state; Since when it began.
	State string `json:"state"`
	// Since: see State.
	Since time.Time `json:"since"`
	// Conversations is how many conversations they hold.
	Conversations int `json:"conversations"`
	// Connected is false while their console is away.
	Connected bool `json:"connected"`
}

// ReadLive reads the desk and the database. desk may be nil (no agent
// desk configured); open is how far back an open conversation's last
// activity may be.
func ReadLive(ctx context.Context, desk Desk, src LiveSource, open time.Duration, now time.Time) (Live, error) {
	l := Live{At: now.UTC(), Queue: []GroupQueue{}, Agents: map[string]int{}, Roster: []AgentNow{}}
	if desk != nil {
		if err := l.readDesk(ctx, desk, now); err != nil {
			return Live{}, err
		}
	}
	var err error
	if l.Conversations, err = src.OpenConversations(ctx, now.Add(-open)); err != nil {
		return Live{}, err
	}
	if l.Tickets, err = src.TicketRisks(ctx); err != nil {
		return Live{}, err
	}
	for _, r := range l.Tickets {
		l.TicketsTotal.AtRisk += r.AtRisk
		l.TicketsTotal.Breached += r.Breached
	}
	return l, nil
}

func (l *Live) readDesk(ctx context.Context, desk Desk, now time.Time) error {
	entries, err := desk.Queue(ctx)
	if err != nil {
		return err
	}
	agents, err := desk.Agents(ctx)
	if err != nil {
		return err
	}
	l.Queue = queueByGroup(entries, now)
	for _, a := range agents {
		l.Agents[string(a.State)]++
		l.Roster = append(l.Roster, AgentNow{ID: a.ID, Name: a.Name, State: string(a.State),
			Since: a.StateSince.UTC(), Conversations: len(a.Conversations),
			Connected: a.DisconnectedAt.IsZero()})
	}
	slices.SortFunc(l.Roster, func(a, b AgentNow) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return nil
}

// queueByGroup counts the desk's entries per skill group.
func queueByGroup(entries []handoff.Entry, now time.Time) []GroupQueue {
	byGroup := map[string]*GroupQueue{}
	for _, e := range entries {
		g := byGroup[e.Group]
		if g == nil {
			g = &GroupQueue{Group: e.Group}
			byGroup[e.Group] = g
		}
		if e.Status != handoff.StatusWaiting {
			g.Assigned++
			continue
		}
		g.Waiting++
		if wait := int64(now.Sub(e.WaitingSince) / time.Second); wait > g.LongestWaitSecs {
			g.LongestWaitSecs = wait
		}
	}
	out := make([]GroupQueue, 0, len(byGroup))
	for _, g := range byGroup {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Group < out[j].Group })
	return out
}
