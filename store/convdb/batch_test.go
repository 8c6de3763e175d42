package convdb

import (
	"context"
	"errors"
	"testing"
	"time"

	"hotline/dialog"
	"hotline/store/sqldb"
	"hotline/store/sqldb/sqldbtest"
)

// postgresStore is a store on a fresh PostgreSQL schema.
func postgresStore(t *testing.T) *Store {
	t.Helper()
	db, err := sqldb.Open(context.Background(), sqldb.Options{DSN: sqldbtest.Schema(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	s, err := New(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// One batch holding good changes beside every kind of conflict stores
// the good ones whole and nothing of the others, and tells each caller
// its own outcome.
func TestCommitBatch_StoresTheGoodAndRefusesTheConflicts(t *testing.T) {
	ctx := context.Background()
	s := postgresStore(t)
	for _, id := range []string{"c1", "c2", "c5"} {
		c := newConv(id, "addr-"+id)
		in := msg(id, 1, dialog.In, "一")
		in.ProviderID = id + "-p1"
		c.LastSeq = 1
		if err := s.Commit(ctx, dialog.Change{Conversation: c, Messages: []dialog.Message{in}}); err != nil {
			t.Fatal(err)
		}
	}
	moved := newConv("c2", "addr-c2") // c2 moves on to version 2 elsewhere
	moved.Version, moved.LastSeq = 1, 1
	if err := s.Commit(ctx, dialog.Change{Conversation: moved}); err != nil {
		t.Fatal(err)
	}

	at := func(id string, version, seq int64) dialog.Conversation {
		c := newConv(id, "addr-"+id)
		c.Version, c.LastSeq = version, seq
		return c
	}
	good := at("c1", 1, 3)
	goodChange := dialog.Change{Conversation: good,
		Messages:   []dialog.Message{msg("c1", 2, dialog.In, "二"), msg("c1", 3, dialog.Out, "答")},
		Unanswered: []dialog.Unanswered{{ConversationID: "c1", MessageID: "c1-m2", Text: "二", At: t0}},
		Visit:      &dialog.VisitChange{ID: "v1", ConversationID: "c1", Channel: "webchat", StartedAt: t0, Answered: 1}}
	dupInbound := msg("c5", 2, dialog.In, "一")
	dupInbound.ProviderID = "c5-p1"
	taken := newConv("c4", "addr-c1")
	changes := []dialog.Change{
		goodChange,
		{Conversation: at("c2", 1, 2), Messages: []dialog.Message{msg("c2", 2, dialog.In, "旧")}}, // stale
		{Conversation: newConv("c3", "addr-c3"), Messages: []dialog.Message{msg("c3", 1, dialog.In, "新")}},
		{Conversation: taken, Messages: []dialog.Message{msg("c4", 1, dialog.In, "抢")}},          // address taken
		{Conversation: at("c5", 1, 2), Messages: []dialog.Message{dupInbound}},                   // a repeat
		{Conversation: at("c1", 1, 4), Messages: []dialog.Message{msg("c1", 4, dialog.In, "再")}}, // c1 twice
	}
	reqs := make([]*commitReq, len(changes))
	for i, c := range changes {
		reqs[i] = &commitReq{ctx: ctx, c: c, done: make(chan struct{})}
	}
	s.batch.store(reqs)

	wantOK := []bool{true, false, true, false, false, false}
	for i, r := range reqs {
		if ok := r.err == nil; ok != wantOK[i] || (!ok && !errors.Is(r.err, dialog.ErrConflict)) {
			t.Errorf("change %d (%s): %v, want stored=%v or ErrConflict", i, r.c.Conversation.ID, r.err, wantOK[i])
		}
	}

	wantMessages := map[string]int{"c1": 3, "c2": 1, "c3": 1, "c4": 0, "c5": 1}
	for id, n := range wantMessages {
		msgs, err := s.MessagesAfter(ctx, id, 0, 10)
		if err != nil || len(msgs) != n {
			t.Errorf("%s has %d messages (%v), want %d", id, len(msgs), err, n)
		}
	}
	if c, err := s.Conversation(ctx, "c1"); err != nil || c.Version != 2 || c.LastSeq != 3 {
		t.Errorf("c1 = %+v, %v; want version 2, last seq 3", c, err)
	}
	if _, err := s.Conversation(ctx, "c4"); !errors.Is(err, dialog.ErrNotFound) {
		t.Errorf("c4 was stored (%v)", err)
	}
	qs, err := s.UnansweredSince(ctx, t0, 10)
	if err != nil || len(qs) != 1 || qs[0].MessageID != "c1-m2" {
		t.Errorf("unanswered = %+v, %v", qs, err)
	}
	var answered int
	err = s.DB().Reader().QueryRowContext(ctx, "SELECT answered FROM visits WHERE id = 'v1'").Scan(&answered)
	if err != nil || answered != 1 {
		t.Errorf("visit v1 answered = %d, %v; want 1", answered, err)
	}
}

// A visit changed by two commits adds up, as the single-change path does.
func TestCommitBatch_VisitsAddUp(t *testing.T) {
	ctx := context.Background()
	s := postgresStore(t)
	c := newConv("c1", "a1")
	for i := range 3 {
		err := s.Commit(ctx, dialog.Change{Conversation: c, Visit: &dialog.VisitChange{ID: "v1",
			ConversationID: "c1", Channel: "webchat", StartedAt: t0, Answered: 1, Unanswered: i % 2}})
		if err != nil {
			t.Fatal(err)
		}
		c.Version++
	}
	var answered, unanswered int
	err := s.DB().Reader().QueryRowContext(ctx,
		"SELECT answered, unanswered FROM visits WHERE id = 'v1'").Scan(&answered, &unanswered)
	if err != nil || answered != 3 || unanswered != 1 {
		t.Fatalf("visit = %d answered, %d unanswered (%v); want 3 and 1", answered, unanswered, err)
	}
}

// A batch that cannot finish (its row locked by another transaction)
// fails within the batcher's bound instead of holding every later commit,
// and commits go through again once the lock is gone.
func TestCommitBatch_StalledTryIsBounded(t *testing.T) {
	ctx := context.Background()
	s := postgresStore(t)
	s.batch.timeout = 300 * time.Millisecond
	c := newConv("c1", "a1")
	if err := s.Commit(ctx, dialog.Change{Conversation: c}); err != nil {
		t.Fatal(err)
	}
	c.Version = 1

	lock, err := s.DB().Writer().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.ExecContext(ctx, "UPDATE conversations SET lang = 'en' WHERE id = 'c1'"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = s.Commit(ctx, dialog.Change{Conversation: c})
	if err == nil || errors.Is(err, dialog.ErrConflict) {
		t.Fatalf("commit behind a lock = %v, want a failure", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("the stalled commit took %v", took)
	}
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, dialog.Change{Conversation: c}); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
}
