package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"hotline/dialog"
	"hotline/store/convdb"
)

func TestRun_UnansweredListsNewestFirst(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	st, err := convdb.Open(ctx, dir, convdb.Options{Synchronous: "normal"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	conv := dialog.Conversation{ID: "c1", Channel: "webchat", Address: "a", State: "answering",
		Lang: "zh", CreatedAt: now, ActiveAt: now}
	err = st.Commit(ctx, dialog.Change{Conversation: conv, Unanswered: []dialog.Unanswered{
		{ConversationID: "c1", Text: "家门口的\n信号塔什么时候建", At: now.Add(-time.Hour)},
		{ConversationID: "c1", Text: "积分能换话费吗", BestEntry: "points_redeem", BestScore: 0.4,
			Suggested: true, At: now.Add(-time.Minute)},
		{ConversationID: "c1", Text: "很久以前的问题", At: now.Add(-30 * 24 * time.Hour)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	_ = st.Close()

	var out, errb bytes.Buffer
	code := run([]string{"unanswered", "-data", dir, "-since", "7d"}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "points_redeem") ||
		!strings.Contains(lines[1], "家门口的 信号塔") || !strings.HasPrefix(lines[2], "2 questions") {
		t.Fatalf("output:\n%s", out.String())
	}
}

func TestRun_UnansweredWithoutDatabase(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"unanswered", "-data", t.TempDir()}, &out, &errb); code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(errb.String(), "no gateway database") {
		t.Errorf("stderr %q does not say what is missing", errb.String())
	}
}
