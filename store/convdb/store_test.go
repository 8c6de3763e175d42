package convdb

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"hotline/channels"
	"hotline/dialog"
)

var t0 = time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)

// eachStore runs fn as a parallel subtest on a store on a fresh SQLite
// file and on one on a fresh PostgreSQL schema, so both dialects pass the
// same suite.
func eachStore(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, open(t, t.TempDir()))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, postgresStore(t))
	})
}

func open(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, Options{Synchronous: "full"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func newConv(id, address string) dialog.Conversation {
	return dialog.Conversation{ID: id, Channel: "webchat", Address: address,
		State: dialog.StateAnswering, Lang: "zh", CreatedAt: t0, ActiveAt: t0}
}

func msg(conv string, seq int64, dir dialog.Direction, text string) dialog.Message {
	m := dialog.Message{ID: fmt.Sprintf("%s-m%d", conv, seq), ConversationID: conv, Seq: seq,
		Direction: dir, From: dialog.FromSubscriber, Text: text, CreatedAt: t0}
	if dir == dialog.Out {
		m.From, m.Delivery = dialog.FromBot, dialog.DeliveryPending
		m.QuickReplies = []channels.QuickReply{{Label: "a", Payload: "kb:a"}}
	}
	return m
}

func TestStore_CommitAndRead(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, s *Store) {
		c := newConv("c1", "addr1")
		c.LastSeq = 2
		c.Slots = map[string]string{"service": "broadband"}
		in := msg("c1", 1, dialog.In, "问题")
		in.ProviderID = "p1"
		err := s.Commit(ctx, dialog.Change{Conversation: c,
			Messages: []dialog.Message{in, msg("c1", 2, dialog.Out, "答案")}})
		if err != nil {
			t.Fatal(err)
		}

		got, err := s.FindConversation(ctx, "webchat", "addr1")
		if err != nil || got.Version != 1 || got.LastSeq != 2 || got.Slots["service"] != "broadband" {
			t.Fatalf("FindConversation = %+v, %v", got, err)
		}
		m, err := s.FindInbound(ctx, "c1", "p1")
		if err != nil || m.Text != "问题" || m.Seq != 1 {
			t.Fatalf("FindInbound = %+v, %v", m, err)
		}
		msgs, err := s.MessagesAfter(ctx, "c1", 0, 10)
		if err != nil || len(msgs) != 2 || msgs[1].QuickReplies[0].Payload != "kb:a" {
			t.Fatalf("MessagesAfter = %+v, %v", msgs, err)
		}
		if _, err := s.FindConversation(ctx, "webchat", "nobody"); !errors.Is(err, dialog.ErrNotFound) {
			t.Errorf("missing conversation: %v, want ErrNotFound", err)
		}
	})
}

func TestStore_CommitRejectsStaleVersion(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, s *Store) {
		c := newConv("c1", "addr1")
		if err := s.Commit(ctx, dialog.Change{Conversation: c}); err != nil {
			t.Fatal(err)
		}
		c.Version = 1
		if err := s.Commit(ctx, dialog.Change{Conversation: c}); err != nil {
			t.Fatalf("first update: %v", err)
		}
		// Another writer already moved it to version 2.
		if err := s.Commit(ctx, dialog.Change{Conversation: c}); !errors.Is(err, dialog.ErrConflict) {
			t.Fatalf("stale update = %v, want ErrConflict", err)
		}
		// A second new conversation for the same address conflicts too.
		if err := s.Commit(ctx, dialog.Change{Conversation: newConv("c2", "addr1")}); !errors.Is(err, dialog.ErrConflict) {
			t.Fatalf("duplicate address = %v, want ErrConflict", err)
		}
	})
}

func TestStore_FailedChangeLeavesNothingBehind(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, s *Store) {
		c := newConv("c1", "addr1")
		in := msg("c1", 1, dialog.In, "一")
		in.ProviderID = "p1"
		if err := s.Commit(ctx, dialog.Change{Conversation: c, Messages: []dialog.Message{in}}); err != nil {
			t.Fatal(err)
		}

		// Same provider id again, with a new reply: the whole change fails.
		c.Version, c.LastSeq = 1, 3
		dup := msg("c1", 2, dialog.In, "一")
		dup.ProviderID = "p1"
		err := s.Commit(ctx, dialog.Change{Conversation: c,
			Messages: []dialog.Message{msg("c1", 3, dialog.Out, "reply"), dup}})
		if !errors.Is(err, dialog.ErrConflict) {
			t.Fatalf("duplicate provider id = %v, want ErrConflict", err)
		}
		msgs, _ := s.MessagesAfter(ctx, "c1", 0, 10)
		got, _ := s.Conversation(ctx, "c1")
		if len(msgs) != 1 || got.Version != 1 {
			t.Fatalf("after a failed change: %d messages, version %d; want 1 and 1", len(msgs), got.Version)
		}
	})
}

// Many writers at once are committed in groups; each learns its own result.
func TestStore_GroupCommitKeepsResultsApart(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, s *Store) {
		var wg sync.WaitGroup
		errs := make([]error, 200)
		for i := range 200 {
			wg.Go(func() {
				addr := fmt.Sprint("a", i%100) // every address twice: one must conflict
				errs[i] = s.Commit(ctx, dialog.Change{Conversation: newConv(fmt.Sprint("c", i), addr)})
			})
		}
		wg.Wait()

		ok, conflict := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, dialog.ErrConflict):
				conflict++
			default:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if ok != 100 || conflict != 100 {
			t.Fatalf("%d committed, %d conflicts; want 100 and 100", ok, conflict)
		}
	})
}

func TestStore_MessagesAfterKeepsTheNewest(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, s *Store) {
		c := newConv("c1", "a")
		c.LastSeq = 10
		var msgs []dialog.Message
		for i := int64(1); i <= 10; i++ {
			msgs = append(msgs, msg("c1", i, dialog.In, fmt.Sprint(i)))
		}
		if err := s.Commit(ctx, dialog.Change{Conversation: c, Messages: msgs}); err != nil {
			t.Fatal(err)
		}

		got, err := s.MessagesAfter(ctx, "c1", 2, 3)
		if err != nil || len(got) != 3 || got[0].Seq != 8 || got[2].Seq != 10 {
			t.Fatalf("MessagesAfter(2, limit 3) = %v, %v; want seqs 8..10", seqs(got), err)
		}
		seq, err := s.MessageSeq(ctx, "c1", "c1-m4")
		if err != nil || seq != 4 {
			t.Fatalf("MessageSeq = %d, %v", seq, err)
		}
		if _, err := s.MessageSeq(ctx, "other", "c1-m4"); !errors.Is(err, dialog.ErrNotFound) {
			t.Errorf("a message of another conversation was found: %v", err)
		}
	})
}

func seqs(ms []dialog.Message) []int64 {
	var out []int64
	for _, m := range ms {
		out = append(out, m.Seq)
	}
	return out
}

func TestStore_OutboxRoundTrip(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, s *Store) {
		c := newConv("c1", "a")
		c.LastSeq = 2
		err := s.Commit(ctx, dialog.Change{Conversation: c, Messages: []dialog.Message{
			msg("c1", 1, dialog.In, "q"), msg("c1", 2, dialog.Out, "a")}})
		if err != nil {
			t.Fatal(err)
		}

		pending, err := s.PendingDeliveries(ctx, t0.Add(time.Second), 10)
		if err != nil || len(pending) != 1 || pending[0].Message.ID != "c1-m2" ||
			pending[0].Conversation.Address != "a" {
			t.Fatalf("PendingDeliveries = %+v, %v", pending, err)
		}
		if p, _ := s.PendingDeliveries(ctx, t0, 10); len(p) != 0 {
			t.Errorf("a message created at the cut-off was returned")
		}

		err = s.MarkDeliveries(ctx, []dialog.DeliveryUpdate{{MessageID: "c1-m2",
			Status: dialog.DeliverySent, Attempts: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if p, _ := s.PendingDeliveries(ctx, t0.Add(time.Hour), 10); len(p) != 0 {
			t.Errorf("a sent message is still pending")
		}
	})
}

func TestStore_RetentionDeletesOldData(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, s *Store) {
		old := newConv("old", "a")
		old.LastSeq = 1
		recent := newConv("new", "b")
		recent.ActiveAt, recent.LastSeq = t0.Add(48*time.Hour), 2
		oldMsg := msg("new", 1, dialog.In, "old question")
		newMsg := msg("new", 2, dialog.In, "new question")
		newMsg.CreatedAt = t0.Add(48 * time.Hour)
		for _, ch := range []dialog.Change{
			{Conversation: old, Messages: []dialog.Message{msg("old", 1, dialog.In, "x")},
				Unanswered: []dialog.Unanswered{{ConversationID: "old", Text: "x", At: t0}}},
			{Conversation: recent, Messages: []dialog.Message{oldMsg, newMsg}},
		} {
			if err := s.Commit(ctx, ch); err != nil {
				t.Fatal(err)
			}
		}

		n, err := s.DeleteBefore(ctx, t0.Add(24*time.Hour))
		if err != nil || n != 2 {
			t.Fatalf("DeleteBefore = %d, %v; want 2 messages", n, err)
		}
		if _, err := s.Conversation(ctx, "old"); !errors.Is(err, dialog.ErrNotFound) {
			t.Errorf("the inactive conversation survived retention")
		}
		left, _ := s.MessagesAfter(ctx, "new", 0, 10)
		if len(left) != 1 || left[0].Seq != 2 {
			t.Errorf("recent conversation keeps %v, want only seq 2", seqs(left))
		}
		if u, _ := s.UnansweredSince(ctx, time.Time{}, 10); len(u) != 0 {
			t.Errorf("old unanswered questions survived retention")
		}
	})
}

func TestStore_IdleConversations(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, s *Store) {
		closed := newConv("closed", "c")
		closed.State = dialog.StateClosed
		active := newConv("active", "b")
		active.ActiveAt = t0.Add(time.Hour)
		for _, c := range []dialog.Conversation{newConv("idle", "a"), closed, active} {
			if err := s.Commit(ctx, dialog.Change{Conversation: c}); err != nil {
				t.Fatal(err)
			}
		}
		idle, err := s.IdleConversations(ctx, t0.Add(time.Minute), 10)
		if err != nil || len(idle) != 1 || idle[0].ID != "idle" {
			t.Fatalf("IdleConversations = %+v, %v; want only the idle one", idle, err)
		}
	})
}

// What was committed is there after reopening the file.
func TestStore_DurableAcrossReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir, Options{Synchronous: "full"})
	if err != nil {
		t.Fatal(err)
	}
	c := newConv("c1", "a")
	c.LastSeq = 1
	if err := s.Commit(ctx, dialog.Change{Conversation: c,
		Messages: []dialog.Message{msg("c1", 1, dialog.In, "留言")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, dialog.Change{Conversation: newConv("c2", "b")}); err == nil {
		t.Error("a closed store accepted a write")
	}

	s2 := open(t, dir)
	msgs, err := s2.MessagesAfter(ctx, "c1", 0, 10)
	if err != nil || len(msgs) != 1 || msgs[0].Text != "留言" {
		t.Fatalf("after reopen: %+v, %v", msgs, err)
	}
}

func TestOpen_ReportsUnusableFolder(t *testing.T) {
	_, err := Open(context.Background(), "/proc/hotline-cannot-be-here", Options{})
	if err == nil {
		t.Fatal("Open in /proc succeeded")
	}
}

// UnansweredBetween keeps to its period, newest first, up to the limit.
func TestStore_UnansweredBetween(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, s *Store) {
		c := newConv("c1", "a1")
		var qs []dialog.Unanswered
		for h := range 6 {
			qs = append(qs, dialog.Unanswered{ConversationID: "c1", MessageID: fmt.Sprint("m", h),
				Text: fmt.Sprint("问题", h), At: t0.Add(time.Duration(h) * time.Hour)})
		}
		if err := s.Commit(ctx, dialog.Change{Conversation: c, Unanswered: qs}); err != nil {
			t.Fatal(err)
		}
		got, err := s.UnansweredBetween(ctx, t0.Add(time.Hour), t0.Add(4*time.Hour), 2)
		if err != nil || len(got) != 2 || got[0].MessageID != "m3" || got[1].MessageID != "m2" {
			t.Fatalf("between 1h and 4h, 2 at most = %+v, %v; want m3, m2", got, err)
		}
		all, err := s.UnansweredBetween(ctx, t0, t0.Add(6*time.Hour), 100)
		if err != nil || len(all) != 6 {
			t.Fatalf("the whole period = %d questions, %v; want 6", len(all), err)
		}
	})
}
