package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"hotline/handoff"
	"hotline/store/sqldb"
)

func TestAuditLog(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		clk := &testClock{now: t0}
		audit, err := handoff.NewAudit(sqldb.NewAuditLog(db), clk.Now, nil)
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			who  string
			act  handoff.AuditAction
			conv string
		}{
			{"a1", handoff.ActionAccept, "c1"}, {"a1", handoff.ActionReply, "c1"},
			{"a2", handoff.ActionAccept, "c2"}, {"a1", handoff.ActionTransfer, "c1"},
			{"a2", handoff.ActionAccept, "c1"}, {"a1", handoff.ActionState, ""},
		}
		for i, s := range steps {
			if i != 2 { // two entries at one time: the later id comes first
				clk.Advance(time.Second)
			}
			if err := audit.Record(ctx, s.who, s.act, s.conv, "to ready"); err != nil {
				t.Fatal(err)
			}
		}

		queries := map[string]struct {
			q    handoff.AuditQuery
			want string
		}{
			"all":             {handoff.AuditQuery{}, "state accept transfer accept reply accept"},
			"by actor":        {handoff.AuditQuery{Actor: "a1"}, "state transfer reply accept"},
			"by conversation": {handoff.AuditQuery{ConversationID: "c1"}, "accept transfer reply accept"},
			"by both, limited": {handoff.AuditQuery{Actor: "a1", ConversationID: "c1", Limit: 2},
				"transfer reply"},
			"unknown actor": {handoff.AuditQuery{Actor: "zz"}, ""},
		}
		for name, c := range queries {
			got, err := audit.Recent(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			if s := auditActions(got); s != c.want {
				t.Errorf("%s: actions = %q, want %q", name, s, c.want)
			}
		}
		latest, _ := audit.Recent(ctx, handoff.AuditQuery{Limit: 1})
		e := latest[0]
		if e.Actor != "a1" || e.Detail != "to ready" || !e.At.Equal(t0.Add(5*time.Second)) || e.ID == 0 {
			t.Fatalf("latest = %+v", e)
		}
	})
}

func auditActions(es []handoff.AuditEntry) string {
	var out []string
	for _, e := range es {
		out = append(out, string(e.Action))
	}
	return strings.Join(out, " ")
}
