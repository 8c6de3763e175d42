package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"hotline/dialog"
	"hotline/store/convdb"
	"hotline/store/sqldb"
	"hotline/store/sqldb/sqldbtest"
)

// gapsDataDir returns a data directory whose store holds unanswered
// questions: four of one need from two conversations, quoting phone
// numbers in two wordings, one other question, and one asked long ago.
func gapsDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	st, err := convdb.Open(ctx, dir, convdb.Options{Synchronous: "normal"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, id := range []string{"c1", "c2"} {
		conv := dialog.Conversation{ID: id, Channel: "webchat", Address: id, State: "answering",
			Lang: "zh", CreatedAt: now, ActiveAt: now}
		var qs []dialog.Unanswered
		switch id {
		case "c1":
			qs = []dialog.Unanswered{
				{ConversationID: id, Text: "我的号码13812345678停机了", BestEntry: "suspend_keep_number",
					BestScore: 0.4, Suggested: true, At: now.Add(-2 * time.Hour)},
				{ConversationID: id, Text: "我的号码13987654321停机了", At: now.Add(-time.Hour)},
				{ConversationID: id, Text: "很久以前的问题", At: now.Add(-60 * 24 * time.Hour)},
			}
		case "c2":
			qs = []dialog.Unanswered{
				{ConversationID: id, Text: "我的号码15000001111停机了", At: now.Add(-time.Minute)},
				{ConversationID: id, Text: "我的号码15000001111停机了吗", At: now.Add(-time.Minute)},
				{ConversationID: id, Text: "家门口的\n信号塔什么时候建", At: now.Add(-3 * time.Hour)},
			}
		}
		if err := st.Commit(ctx, dialog.Change{Conversation: conv, Unanswered: qs}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRun_GapsTable(t *testing.T) {
	dir := gapsDataDir(t)
	code, stdout, stderr := runCmd("gaps", "-data", dir, "-since", "30d")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 5 {
		t.Fatalf("want a header, 2 groups, one example and a total; output:\n%s", stdout)
	}
	first := strings.Fields(lines[1])
	if len(first) != 4 || first[0] != "4" || first[1] != "2" || first[2] != "suspend_keep_number" ||
		!strings.HasPrefix(first[3], "我的号码") {
		t.Errorf("first group %q, want 4 questions from 2 conversations, the entry and the wording", lines[1])
	}
	if strings.TrimSpace(lines[2]) != "我的号码150****1111停机了吗" ||
		!strings.Contains(lines[3], "家门口的 信号塔什么时候建") || !strings.HasPrefix(lines[4], "2 of 2 groups, 5 questions") {
		t.Errorf("output:\n%s", stdout)
	}
	if mobile := mobileNumber(stdout); mobile != "" {
		t.Errorf("output shows the phone number %s:\n%s", mobile, stdout)
	}
}

func TestRun_GapsJSON(t *testing.T) {
	dir := gapsDataDir(t)
	code, stdout, stderr := runCmd("gaps", "-data", dir, "-since", time.Now().AddDate(0, 0, -1).Format(time.DateOnly),
		"-limit", "1", "-examples", "0", "-json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out struct {
		Questions int `json:"questions"`
		TotalGaps int `json:"total_gaps"`
		Gaps      []struct {
			Size           int      `json:"size"`
			Conversations  int      `json:"conversations"`
			Representative string   `json:"representative"`
			Examples       []string `json:"examples"`
			Suggested      int      `json:"suggested"`
			Unknown        int      `json:"unknown"`
		} `json:"gaps"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if out.Questions != 5 || out.TotalGaps != 2 || len(out.Gaps) != 1 {
		t.Fatalf("output: %s", stdout)
	}
	g := out.Gaps[0]
	if g.Size != 4 || g.Conversations != 2 || g.Suggested != 1 || g.Unknown != 3 || len(g.Examples) != 0 ||
		mobileNumber(g.Representative) != "" {
		t.Errorf("gap %+v", g)
	}
}

func TestRun_GapsBadFlags(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"unknown flag", []string{"-nope"}, "flag provided but not defined"},
		{"since neither a period nor a date", []string{"-since", "last week"}, `-since: want a period such as 30d`},
		{"since in the future", []string{"-since", "-3d"}, "-since"},
		{"limit zero", []string{"-limit", "0"}, "-limit must be at least 1"},
		{"limit not a number", []string{"-limit", "many"}, "invalid value"},
		{"negative examples", []string{"-examples", "-2"}, "-examples must not be negative"},
		{"similarity zero", []string{"-min-similarity", "0"}, "-min-similarity must be above 0"},
		{"similarity above one", []string{"-min-similarity", "1.5"}, "-min-similarity must be above 0"},
		{"an argument", []string{"宽带"}, "gaps takes no arguments"},
		{"no database", nil, "no gateway database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(append([]string{"gaps", "-data", dir}, tt.args...)...)
			if code != exitUsage || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d containing %q", code, stderr, exitUsage, tt.stderr)
			}
		})
	}
}

// mobileNumber returns the first 11-digit mobile number in s, or "".
func mobileNumber(s string) string {
	digits := 0
	for i, r := range s {
		if r < '0' || r > '9' {
			digits = 0
			continue
		}
		if digits++; digits == 11 {
			return s[i-10 : i+1]
		}
	}
	return ""
}

// -until ends the period at the end of a date: only the question asked
// 60 days ago is in a period that ended 30 days ago.
func TestRun_GapsUntil(t *testing.T) {
	dir := gapsDataDir(t)
	until := time.Now().AddDate(0, 0, -30).Format(time.DateOnly)
	code, stdout, stderr := runCmd("gaps", "-data", dir, "-since", "90d", "-until", until, "-json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out struct {
		Questions int `json:"questions"`
		Gaps      []struct {
			Representative string `json:"representative"`
		} `json:"gaps"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if out.Questions != 1 || len(out.Gaps) != 1 || out.Gaps[0].Representative != "很久以前的问题" {
		t.Fatalf("until %s: %s", until, stdout)
	}

	for _, bad := range [][]string{{"-until", "yesterday"}, {"-since", "2026-03-01", "-until", "2026-02-01"}} {
		if code, _, stderr := runCmd(append([]string{"gaps", "-data", dir}, bad...)...); code == exitOK ||
			!strings.Contains(stderr, "-until") {
			t.Errorf("%q: exit %d, %q; want an error naming -until", bad, code, stderr)
		}
	}
}

// With database.url in the settings, kb gaps reads PostgreSQL.
func TestRun_GapsOnPostgres(t *testing.T) {
	dsn := sqldbtest.Schema(t)
	ctx := context.Background()
	db, err := sqldb.Open(ctx, sqldb.Options{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	st, err := convdb.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	conv := dialog.Conversation{ID: "c1", Channel: "webchat", Address: "a1", State: "answering",
		Lang: "zh", CreatedAt: now, ActiveAt: now}
	err = st.Commit(ctx, dialog.Change{Conversation: conv, Unanswered: []dialog.Unanswered{
		{ConversationID: "c1", Text: "国际漫游怎么开通", At: now.Add(-time.Hour)},
		{ConversationID: "c1", Text: "国际漫游怎么开通呢", At: now.Add(-time.Minute)},
	}})
	_ = st.Close()
	_ = db.Close()
	if err != nil {
		t.Fatal(err)
	}

	t.Setenv("HOTLINE_DATABASE_URL", dsn)
	code, stdout, stderr := runCmd("gaps", "-config", "../../configs/gateway.yaml", "-since", "1d")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "国际漫游怎么开通") || !strings.Contains(stdout, "1 of 1 groups, 2 questions") {
		t.Fatalf("output:\n%s", stdout)
	}
}
