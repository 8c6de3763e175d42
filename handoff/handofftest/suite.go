// Package handofftest holds the tests that every handoff.Store must pass,
// so the in-memory store and the shared ones are held to the same
// behaviour. Only tests import it.
package handofftest

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"hotline/handoff"
)

// StoreSuite is what every handoff.Store must pass. It runs one subtest
// per behaviour, each on a fresh, empty store from open: records round
// trip with every field, versions grow by one per write, a stale or
// premature version conflicts and a conflicting batch changes nothing,
// the queue holds only waiting entries in queue order, agents come
// ordered by id, missing records are ErrNotFound, reads are copies, and
// of many commits racing on one version exactly one wins.
//
// open may register cleanups on the t it is given; it is called once per
// subtest.
func StoreSuite(t *testing.T, open func(t *testing.T) handoff.Store) {
	t.Helper()
	tests := []struct {
		name string
		run  func(*testing.T, handoff.Store)
	}{
		{"entry round trip", testEntryRoundTrip},
		{"agent round trip", testAgentRoundTrip},
		{"stats round trip", testStatsRoundTrip},
		{"versions increment", testVersions},
		{"create of an existing record conflicts", testCreateExisting},
		{"stale entry put conflicts", testStalePut},
		{"delete", testDelete},
		{"stale delete conflicts", testStaleDelete},
		{"stale agent conflicts", testStaleAgent},
		{"stale stats conflict", testStaleStats},
		{"conflicting batch applies nothing", testAtomic},
		{"queue holds waiting entries in queue order", testQueue},
		{"agents ordered by id", testAgentsOrder},
		{"missing records", testMissing},
		{"reads share nothing with the store", testCopies},
		{"racing commits on one version", testRace},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, open(t)) })
	}
}

// base is the instant the sample times are built from.
var base = time.Date(2025, 3, 14, 9, 26, 53, 589793238, time.UTC)

// eastern is a zone other than UTC, so stores must keep instants rather
// than wall clocks.
var eastern = time.FixedZone("UTC+8", 8*60*60)

// sampleEntry returns an entry with every field set, at version 0.
func sampleEntry(id string) handoff.Entry {
	return handoff.Entry{
		ConversationID: id,
		Channel:        "wechat",
		Address:        "oAbC-openid-" + id,
		Group:          "broadband",
		Priority:       handoff.PriorityAtRisk,
		Reason:         handoff.ReasonFormFailed,
		Note:           "line drops every evening",
		Details: []handoff.Detail{
			{Key: "account", Label: "Account number", Value: "7730011", Sensitive: true},
			{Key: "since", Label: "Since when", Value: "Monday"},
		},
		EnqueuedAt:   base,
		WaitingSince: base.Add(90 * time.Second).In(eastern),
		Head:         true,
		Status:       handoff.StatusAssigned,
		AgentID:      "agent-7",
		AssignedAt:   base.Add(5*time.Minute + 123*time.Nanosecond),
	}
}

// sampleAgent returns an agent with every field set, at version 0.
func sampleAgent(id string) handoff.Agent {
	return handoff.Agent{
		Profile: handoff.Profile{
			ID:            id,
			Name:          "Agent " + id,
			Role:          handoff.RoleSupervisor,
			Groups:        []string{"broadband", "billing"},
			MaxConcurrent: 3,
		},
		State:          handoff.StateWrapUp,
		StateSince:     base.Add(time.Minute),
		AvailableSince: base.Add(2 * time.Minute).In(eastern),
		Conversations:  []string{"conv-1", "conv-2"},
		WrapUpUntil:    base.Add(3*time.Minute + time.Nanosecond),
		DisconnectedAt: base.Add(4 * time.Minute),
	}
}

// waiting returns a waiting entry of the given priority and waiting time.
func waiting(id string, priority int, head bool, since time.Time) handoff.Entry {
	return handoff.Entry{
		ConversationID: id,
		Channel:        "sms",
		Priority:       priority,
		Head:           head,
		Status:         handoff.StatusWaiting,
		EnqueuedAt:     since,
		WaitingSince:   since,
	}
}

// commit applies b and fails the test on an error.
func commit(t *testing.T, s handoff.Store, b handoff.Batch) {
	t.Helper()
	if err := s.Commit(t.Context(), b); err != nil {
		t.Fatalf("commit: %v", err)
	}
}

// wantErr fails the test unless err wraps target.
func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

// entry reads an entry and fails the test when that fails.
func entry(t *testing.T, s handoff.Store, id string) handoff.Entry {
	t.Helper()
	e, err := s.Entry(t.Context(), id)
	if err != nil {
		t.Fatalf("entry %s: %v", id, err)
	}
	return e
}

// agent reads an agent and fails the test when that fails.
func agent(t *testing.T, s handoff.Store, id string) handoff.Agent {
	t.Helper()
	a, err := s.Agent(t.Context(), id)
	if err != nil {
		t.Fatalf("agent %s: %v", id, err)
	}
	return a
}

// stats reads the statistics and fails the test when that fails.
func stats(t *testing.T, s handoff.Store) handoff.Stats {
	t.Helper()
	st, err := s.Stats(t.Context())
	if err != nil {
		t.Fatalf("stats: %v", err)
	}
	return st
}

// wantEntry fails the test unless got equals want, times compared as
// instants.
func wantEntry(t *testing.T, got, want handoff.Entry) {
	t.Helper()
	times := []timeField{
		{"EnqueuedAt", &got.EnqueuedAt, &want.EnqueuedAt},
		{"WaitingSince", &got.WaitingSince, &want.WaitingSince},
		{"AssignedAt", &got.AssignedAt, &want.AssignedAt},
	}
	if msg := diff(times, &got, &want); msg != "" {
		t.Fatalf("entry %s: %s", want.ConversationID, msg)
	}
}

// wantAgent fails the test unless got equals want, times compared as
// instants.
func wantAgent(t *testing.T, got, want handoff.Agent) {
	t.Helper()
	times := []timeField{
		{"StateSince", &got.StateSince, &want.StateSince},
		{"AvailableSince", &got.AvailableSince, &want.AvailableSince},
		{"WrapUpUntil", &got.WrapUpUntil, &want.WrapUpUntil},
		{"DisconnectedAt", &got.DisconnectedAt, &want.DisconnectedAt},
	}
	if msg := diff(times, &got, &want); msg != "" {
		t.Fatalf("agent %s: %s", want.ID, msg)
	}
}

// timeField points at one time field of a record read and of the record
// expected.
type timeField struct {
	name      string
	got, want *time.Time
}

// diff compares the time fields with Equal, then, with those cleared, the
// rest of got and want field by field. It returns what differs, or ""
// when nothing does. It clears the times it is given.
func diff(times []timeField, got, want any) string {
	for _, f := range times {
		if !f.got.Equal(*f.want) {
			return fmt.Sprintf("%s is %v, want %v", f.name, *f.got, *f.want)
		}
		*f.got, *f.want = time.Time{}, time.Time{}
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Sprintf("got %+v, want %+v", got, want)
	}
	return ""
}

func testEntryRoundTrip(t *testing.T, s handoff.Store) {
	e := sampleEntry("conv-full")
	commit(t, s, handoff.Batch{Put: []handoff.Entry{e}})
	e.Version = 1
	wantEntry(t, entry(t, s, e.ConversationID), e)
}

func testAgentRoundTrip(t *testing.T, s handoff.Store) {
	a := sampleAgent("agent-full")
	commit(t, s, handoff.Batch{Agents: []handoff.Agent{a}})
	a.Version = 1
	wantAgent(t, agent(t, s, a.ID), a)
}

func testStatsRoundTrip(t *testing.T, s handoff.Store) {
	if got := stats(t, s); got != (handoff.Stats{}) {
		t.Fatalf("stats of an empty store = %+v, want zero", got)
	}
	st := handoff.Stats{HandleTime: 7*time.Minute + 3*time.Nanosecond, Samples: 42}
	commit(t, s, handoff.Batch{Stats: &st})
	st.Version = 1
	if got := stats(t, s); got != st {
		t.Fatalf("stats = %+v, want %+v", got, st)
	}
}

func testVersions(t *testing.T, s handoff.Store) {
	e, a, st := sampleEntry("conv-1"), sampleAgent("agent-1"), handoff.Stats{Samples: 1}
	for v := int64(1); v <= 3; v++ {
		e.Note, a.Name, st.Samples = fmt.Sprint("note ", v), fmt.Sprint("name ", v), v
		commit(t, s, handoff.Batch{Put: []handoff.Entry{e}, Agents: []handoff.Agent{a}, Stats: &st})
		e, a, st = entry(t, s, e.ConversationID), agent(t, s, a.ID), stats(t, s)
		if e.Version != v || a.Version != v || st.Version != v {
			t.Fatalf("versions after %d commits: entry %d, agent %d, stats %d",
				v, e.Version, a.Version, st.Version)
		}
		if e.Note != fmt.Sprint("note ", v) || a.Name != fmt.Sprint("name ", v) || st.Samples != v {
			t.Fatalf("commit %d not stored: %q, %q, %d", v, e.Note, a.Name, st.Samples)
		}
	}
}

func testCreateExisting(t *testing.T, s handoff.Store) {
	e, a, st := sampleEntry("conv-1"), sampleAgent("agent-1"), handoff.Stats{Samples: 1}
	commit(t, s, handoff.Batch{Put: []handoff.Entry{e}, Agents: []handoff.Agent{a}, Stats: &st})
	e.Note, a.Name, st.Samples = "second", "second", 2
	wantErr(t, s.Commit(t.Context(), handoff.Batch{Put: []handoff.Entry{e}}), handoff.ErrConflict)
	wantErr(t, s.Commit(t.Context(), handoff.Batch{Agents: []handoff.Agent{a}}), handoff.ErrConflict)
	wantErr(t, s.Commit(t.Context(), handoff.Batch{Stats: &st}), handoff.ErrConflict)
	if got := entry(t, s, e.ConversationID); got.Note == "second" || got.Version != 1 {
		t.Fatalf("entry = %+v, want the first at version 1", got)
	}
	if got := agent(t, s, a.ID); got.Name == "second" || got.Version != 1 {
		t.Fatalf("agent = %+v, want the first at version 1", got)
	}
	if got := stats(t, s); got.Samples != 1 || got.Version != 1 {
		t.Fatalf("stats = %+v, want the first at version 1", got)
	}
}

func testStalePut(t *testing.T, s handoff.Store) {
	e := sampleEntry("conv-1")
	commit(t, s, handoff.Batch{Put: []handoff.Entry{e}})
	stored := entry(t, s, e.ConversationID)
	commit(t, s, handoff.Batch{Put: []handoff.Entry{stored}})
	for _, v := range []int64{1, 3} {
		stale := stored
		stale.Note, stale.Version = "stale", v
		wantErr(t, s.Commit(t.Context(), handoff.Batch{Put: []handoff.Entry{stale}}), handoff.ErrConflict)
	}
	if got := entry(t, s, e.ConversationID); got.Note != e.Note || got.Version != 2 {
		t.Fatalf("entry = %+v, want unchanged at version 2", got)
	}
	missing := sampleEntry("conv-missing")
	missing.Version = 1
	wantErr(t, s.Commit(t.Context(), handoff.Batch{Put: []handoff.Entry{missing}}), handoff.ErrConflict)
	_, err := s.Entry(t.Context(), missing.ConversationID)
	wantErr(t, err, handoff.ErrNotFound)
}

func testDelete(t *testing.T, s handoff.Store) {
	keep, gone := sampleEntry("conv-keep"), sampleEntry("conv-gone")
	commit(t, s, handoff.Batch{Put: []handoff.Entry{keep, gone}})
	commit(t, s, handoff.Batch{Delete: []handoff.Entry{entry(t, s, gone.ConversationID)}})
	_, err := s.Entry(t.Context(), gone.ConversationID)
	wantErr(t, err, handoff.ErrNotFound)
	entry(t, s, keep.ConversationID)
	commit(t, s, handoff.Batch{Put: []handoff.Entry{gone}})
	if got := entry(t, s, gone.ConversationID); got.Version != 1 {
		t.Fatalf("entry created again at version %d, want 1", got.Version)
	}
}

func testStaleDelete(t *testing.T, s handoff.Store) {
	e := sampleEntry("conv-1")
	commit(t, s, handoff.Batch{Put: []handoff.Entry{e}})
	commit(t, s, handoff.Batch{Put: []handoff.Entry{entry(t, s, e.ConversationID)}})
	for _, v := range []int64{0, 1, 3} {
		stale := e
		stale.Version = v
		wantErr(t, s.Commit(t.Context(), handoff.Batch{Delete: []handoff.Entry{stale}}), handoff.ErrConflict)
	}
	if got := entry(t, s, e.ConversationID); got.Version != 2 {
		t.Fatalf("entry at version %d after stale deletes, want 2", got.Version)
	}
	missing := sampleEntry("conv-missing")
	missing.Version = 1
	wantErr(t, s.Commit(t.Context(), handoff.Batch{Delete: []handoff.Entry{missing}}), handoff.ErrConflict)
}

func testStaleAgent(t *testing.T, s handoff.Store) {
	a := sampleAgent("agent-1")
	commit(t, s, handoff.Batch{Agents: []handoff.Agent{a}})
	commit(t, s, handoff.Batch{Agents: []handoff.Agent{agent(t, s, a.ID)}})
	for _, v := range []int64{1, 3} {
		stale := a
		stale.Name, stale.Version = "stale", v
		wantErr(t, s.Commit(t.Context(), handoff.Batch{Agents: []handoff.Agent{stale}}), handoff.ErrConflict)
	}
	if got := agent(t, s, a.ID); got.Name != a.Name || got.Version != 2 {
		t.Fatalf("agent = %+v, want unchanged at version 2", got)
	}
	missing := sampleAgent("agent-missing")
	missing.Version = 1
	wantErr(t, s.Commit(t.Context(), handoff.Batch{Agents: []handoff.Agent{missing}}), handoff.ErrConflict)
	_, err := s.Agent(t.Context(), missing.ID)
	wantErr(t, err, handoff.ErrNotFound)
}

func testStaleStats(t *testing.T, s handoff.Store) {
	st := handoff.Stats{HandleTime: time.Minute, Samples: 1}
	commit(t, s, handoff.Batch{Stats: &st})
	st.Version = 1
	commit(t, s, handoff.Batch{Stats: &st})
	for _, v := range []int64{0, 1, 3} {
		stale := handoff.Stats{HandleTime: time.Hour, Samples: 9, Version: v}
		wantErr(t, s.Commit(t.Context(), handoff.Batch{Stats: &stale}), handoff.ErrConflict)
	}
	want := handoff.Stats{HandleTime: time.Minute, Samples: 1, Version: 2}
	if got := stats(t, s); got != want {
		t.Fatalf("stats = %+v, want %+v", got, want)
	}
}

func testAtomic(t *testing.T, s handoff.Store) {
	old, oldAgent := sampleEntry("conv-old"), sampleAgent("agent-old")
	st := handoff.Stats{Samples: 5}
	commit(t, s, handoff.Batch{Put: []handoff.Entry{old}, Agents: []handoff.Agent{oldAgent}, Stats: &st})
	old.Version, oldAgent.Version, st.Version = 1, 1, 1
	fresh, freshAgent := sampleEntry("conv-new"), sampleAgent("agent-new")
	staleStats := handoff.Stats{Samples: 6}
	staleDelete := old
	staleDelete.Version = 4
	for name, b := range map[string]handoff.Batch{
		"stale stats last": {Put: []handoff.Entry{fresh}, Delete: []handoff.Entry{old},
			Agents: []handoff.Agent{freshAgent}, Stats: &staleStats},
		"existing agent created last": {Put: []handoff.Entry{fresh}, Delete: []handoff.Entry{old},
			Agents: []handoff.Agent{freshAgent, sampleAgent(oldAgent.ID)}},
		"stale delete after a put":    {Put: []handoff.Entry{fresh}, Delete: []handoff.Entry{staleDelete}},
		"existing entry created last": {Put: []handoff.Entry{fresh, sampleEntry(old.ConversationID)}},
	} {
		wantErr(t, s.Commit(t.Context(), b), handoff.ErrConflict)
		wantUnchanged(t, s, name, old, oldAgent, st)
	}
}

// wantUnchanged fails the test unless the store holds exactly the records
// testAtomic set up, after the batch called name conflicted.
func wantUnchanged(t *testing.T, s handoff.Store, name string, e handoff.Entry, a handoff.Agent, st handoff.Stats) {
	t.Helper()
	if _, err := s.Entry(t.Context(), "conv-new"); !errors.Is(err, handoff.ErrNotFound) {
		t.Fatalf("%s: entry of a conflicting batch stored (%v)", name, err)
	}
	if _, err := s.Agent(t.Context(), "agent-new"); !errors.Is(err, handoff.ErrNotFound) {
		t.Fatalf("%s: agent of a conflicting batch stored (%v)", name, err)
	}
	wantEntry(t, entry(t, s, e.ConversationID), e)
	wantAgent(t, agent(t, s, a.ID), a)
	if got := stats(t, s); got != st {
		t.Fatalf("%s: stats = %+v, want %+v", name, got, st)
	}
}

func testQueue(t *testing.T, s handoff.Store) {
	held := sampleEntry("held")
	held.Priority = handoff.PriorityComplaint + 1
	entries := []handoff.Entry{
		waiting("tie-b", handoff.PriorityNormal, false, base.Add(time.Minute)),
		waiting("normal-late", handoff.PriorityNormal, false, base.Add(2*time.Minute)),
		waiting("complaint", handoff.PriorityComplaint, false, base.Add(3*time.Minute)),
		held,
		waiting("head", handoff.PriorityNormal, true, base.Add(4*time.Minute)),
		waiting("tie-a", handoff.PriorityNormal, false, base.Add(time.Minute)),
		waiting("at-risk", handoff.PriorityAtRisk, false, base),
		// Later on the wall clock than tie-a, but an earlier instant.
		waiting("early-east", handoff.PriorityNormal, false, base.Add(30*time.Second).In(eastern)),
	}
	commit(t, s, handoff.Batch{Put: entries})
	got, err := s.Queue(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := waitingOnly(entries)
	handoff.SortQueue(want)
	if g, w := ids(got), ids(want); !reflect.DeepEqual(g, w) {
		t.Fatalf("queue = %v, want %v", g, w)
	}
	for i := range want {
		want[i].Version = 1
		wantEntry(t, got[i], want[i])
	}
}

// waitingOnly returns the waiting entries of es.
func waitingOnly(es []handoff.Entry) []handoff.Entry {
	var out []handoff.Entry
	for _, e := range es {
		if e.Status == handoff.StatusWaiting {
			out = append(out, e)
		}
	}
	return out
}

// ids returns the conversation ids of es in order.
func ids(es []handoff.Entry) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, e.ConversationID)
	}
	return out
}

func testAgentsOrder(t *testing.T, s handoff.Store) {
	var batch []handoff.Agent
	for _, id := range []string{"carol", "alice", "bob", "alice-2"} {
		batch = append(batch, sampleAgent(id))
	}
	commit(t, s, handoff.Batch{Agents: batch})
	got, err := s.Agents(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, a := range got {
		order = append(order, a.ID)
	}
	if want := []string{"alice", "alice-2", "bob", "carol"}; !reflect.DeepEqual(order, want) {
		t.Fatalf("agents = %v, want %v", order, want)
	}
	want := sampleAgent("alice")
	want.Version = 1
	wantAgent(t, got[0], want)
}

func testMissing(t *testing.T, s handoff.Store) {
	_, err := s.Entry(t.Context(), "conv-missing")
	wantErr(t, err, handoff.ErrNotFound)
	_, err = s.Agent(t.Context(), "agent-missing")
	wantErr(t, err, handoff.ErrNotFound)
	queue, err := s.Queue(t.Context())
	if err != nil || len(queue) != 0 {
		t.Fatalf("queue of an empty store = %v, %v", queue, err)
	}
	agents, err := s.Agents(t.Context())
	if err != nil || len(agents) != 0 {
		t.Fatalf("agents of an empty store = %v, %v", agents, err)
	}
}

func testCopies(t *testing.T, s handoff.Store) {
	e, a := sampleEntry("conv-1"), sampleAgent("agent-1")
	commit(t, s, handoff.Batch{Put: []handoff.Entry{e}, Agents: []handoff.Agent{a}})
	e.Details[0].Value, a.Groups[0] = "changed after commit", "changed after commit"
	gotEntry, gotAgent := entry(t, s, e.ConversationID), agent(t, s, a.ID)
	gotEntry.Details[0].Value, gotAgent.Groups[0], gotAgent.Conversations[0] = "changed", "changed", "changed"
	wantE, wantA := sampleEntry(e.ConversationID), sampleAgent(a.ID)
	wantE.Version, wantA.Version = 1, 1
	wantEntry(t, entry(t, s, e.ConversationID), wantE)
	wantAgent(t, agent(t, s, a.ID), wantA)
}

// racers is how many goroutines commit the same record at once.
const racers = 20

func testRace(t *testing.T, s handoff.Store) {
	e := waiting("conv-race", handoff.PriorityNormal, false, base)
	for version := int64(0); version <= 1; version++ {
		e.Version = version
		winner := race(t, s, e)
		got := entry(t, s, e.ConversationID)
		if got.Version != version+1 || got.AgentID != winner {
			t.Fatalf("entry = %+v, want the winner %s at version %d", got, winner, version+1)
		}
	}
}

// race commits e from racers goroutines at once, each as held by an agent
// of its own, checks that exactly one commit succeeded and the others
// conflicted, and returns the agent of the one that succeeded.
func race(t *testing.T, s handoff.Store, e handoff.Entry) string {
	t.Helper()
	errs := make([]error, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range racers {
		mine := e
		mine.Status, mine.AgentID = handoff.StatusAssigned, fmt.Sprint("agent-", i)
		wg.Go(func() {
			<-start
			errs[i] = s.Commit(t.Context(), handoff.Batch{Put: []handoff.Entry{mine}})
		})
	}
	close(start)
	wg.Wait()
	return winnerOf(t, errs)
}

// winnerOf checks that exactly one of errs is nil and every other wraps
// ErrConflict, and returns the agent id of the goroutine that won.
func winnerOf(t *testing.T, errs []error) string {
	t.Helper()
	winner := ""
	for i, err := range errs {
		switch {
		case err == nil && winner != "":
			t.Fatalf("both %s and agent-%d committed at one version", winner, i)
		case err == nil:
			winner = fmt.Sprint("agent-", i)
		case !errors.Is(err, handoff.ErrConflict):
			t.Fatalf("racing commit %d: %v, want a conflict", i, err)
		}
	}
	if winner == "" {
		t.Fatal("no racing commit succeeded")
	}
	return winner
}
