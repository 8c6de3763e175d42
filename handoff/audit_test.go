package handoff

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAudit_RecordAndRecent(t *testing.T) {
	ctx := context.Background()
	clk := &testClock{now: t0}
	a, err := NewAudit(NewMemAuditStore(), clk.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		who  string
		act  AuditAction
		conv string
	}{
		{"a1", ActionAccept, "c1"}, {"a1", ActionReply, "c1"}, {"a2", ActionAccept, "c2"},
		{"a1", ActionTransfer, "c1"}, {"a2", ActionAccept, "c1"}, {"a1", ActionState, ""},
	}
	for _, s := range steps {
		clk.Advance(time.Second)
		if err := a.Record(ctx, s.who, s.act, s.conv, "detail"); err != nil {
			t.Fatal(err)
		}
	}

	queries := map[string]struct {
		q    AuditQuery
		want string
	}{
		"all newest first":   {AuditQuery{}, "state accept transfer accept reply accept"},
		"by actor":           {AuditQuery{Actor: "a1"}, "state transfer reply accept"},
		"by conversation":    {AuditQuery{ConversationID: "c1"}, "accept transfer reply accept"},
		"by both with limit": {AuditQuery{Actor: "a1", ConversationID: "c1", Limit: 2}, "transfer reply"},
	}
	for name, c := range queries {
		t.Run(name, func(t *testing.T) {
			got, err := a.Recent(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			if s := actions(got); s != c.want {
				t.Fatalf("actions = %q, want %q", s, c.want)
			}
		})
	}
	latest, _ := a.Recent(ctx, AuditQuery{Limit: 1})
	if len(latest) != 1 || !latest[0].At.Equal(t0.Add(6*time.Second)) || latest[0].ID != 6 {
		t.Fatalf("latest = %+v", latest)
	}
}

func actions(es []AuditEntry) string {
	var out []string
	for _, e := range es {
		out = append(out, string(e.Action))
	}
	return strings.Join(out, " ")
}

func TestAudit_RefusesPersonalData(t *testing.T) {
	ctx := context.Background()
	store := NewMemAuditStore()
	a, _ := NewAudit(store, nil, nil)
	refused := map[string]struct {
		act    AuditAction
		detail string
	}{
		"phone number": {ActionReply, "called back 13812345678"},
		"split number": {ActionReply, "tel:+86 138-1234-5678"},
		"long text":    {ActionNote, strings.Repeat("word ", 50)},
		"odd action":   {"Sign In!", ""},
	}
	for name, c := range refused {
		t.Run(name+" is ErrInvalid", func(t *testing.T) {
			err := a.Record(ctx, "a1", c.act, "c1", c.detail)
			if !errors.Is(err, ErrInvalid) || strings.Contains(err.Error(), "13812345678") {
				t.Fatalf("err = %v", err)
			}
		})
	}
	if got, _ := store.AuditEntries(ctx, AuditQuery{}); len(got) != 0 {
		t.Fatalf("refused entries stored: %+v", got)
	}
	if err := a.Record(ctx, "a1", ActionClose, "c1", "ticket TK20261203-000123"); err != nil {
		t.Fatalf("a ticket id in the detail: %v", err)
	}
}
