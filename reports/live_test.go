package reports

import (
	"context"
	"reflect"
	"testing"
	"time"

	"hotline/handoff"
)

// fakeDesk is a desk with fixed entries and agents.
type fakeDesk struct {
	entries []handoff.Entry
	agents  []handoff.Agent
}

func (d fakeDesk) Queue(context.Context) ([]handoff.Entry, error)  { return d.entries, nil }
func (d fakeDesk) Agents(context.Context) ([]handoff.Agent, error) { return d.agents, nil }

// The live view counts each group's waiting and assigned conversations,
// takes the longest wait from those still waiting only, and counts the
// agents by state.
func TestReadLive_QueuePerGroupWithTheLongestWait(t *testing.T) {
	now := time.Date(2026, 12, 4, 15, 0, 0, 0, shanghai)
	desk := fakeDesk{
		entries: []handoff.Entry{
			{ConversationID: "c1", Group: "broadband", Status: handoff.StatusWaiting, WaitingSince: now.Add(-90 * time.Second)},
			{ConversationID: "c2", Group: "broadband", Status: handoff.StatusWaiting, WaitingSince: now.Add(-5 * time.Minute)},
			{ConversationID: "c3", Group: "broadband", Status: handoff.StatusAssigned, WaitingSince: now.Add(-time.Hour)},
			{ConversationID: "c4", Group: "", Status: handoff.StatusWaiting, WaitingSince: now.Add(-20 * time.Second)},
			{ConversationID: "c5", Group: "complaints", Status: handoff.StatusAssigned, WaitingSince: now.Add(-time.Hour)},
		},
		agents: []handoff.Agent{
			{Profile: handoff.Profile{ID: "a1", Name: "王"}, State: handoff.StateReady, StateSince: now},
			{Profile: handoff.Profile{ID: "a2", Name: "李"}, State: handoff.StateBusy, StateSince: now, Conversations: []string{"c3", "c5"}},
			{Profile: handoff.Profile{ID: "a3", Name: "张"}, State: handoff.StateBusy, StateSince: now, DisconnectedAt: now},
		},
	}
	l, err := ReadLive(context.Background(), desk, noLive{}, 30*time.Minute, now)
	if err != nil {
		t.Fatal(err)
	}
	want := []GroupQueue{
		{Group: "", Waiting: 1, LongestWaitSecs: 20},
		{Group: "broadband", Waiting: 2, Assigned: 1, LongestWaitSecs: 300},
		{Group: "complaints", Assigned: 1},
	}
	if !reflect.DeepEqual(l.Queue, want) {
		t.Errorf("queue = %+v, want %+v", l.Queue, want)
	}
	if l.Agents["ready"] != 1 || l.Agents["busy"] != 2 || len(l.Roster) != 3 {
		t.Errorf("agents = %v, roster %+v", l.Agents, l.Roster)
	}
	for _, a := range l.Roster {
		if a.ID == "a2" && a.Conversations != 2 || a.ID == "a3" && a.Connected {
			t.Errorf("roster entry %+v", a)
		}
	}
}
