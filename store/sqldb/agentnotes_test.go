package sqldb_test

import (
	"context"
	"testing"
	"time"

	"hotline/handoff"
	"hotline/store/sqldb"
)

func TestAgentNotes(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := sqldb.NewAgentNotes(db)
		notes := []handoff.Note{
			{ID: "a1:n1", ConversationID: "c1", AgentID: "a1", Text: "第一条", At: t0},
			{ID: "a2:n1", ConversationID: "c1", AgentID: "a2", Text: "second", At: t0.Add(time.Minute)},
			{ID: "a1:n2", ConversationID: "c2", AgentID: "a1", Text: "other", At: t0},
		}
		for _, n := range notes {
			if added, err := s.AddNote(ctx, n); err != nil || !added {
				t.Fatalf("add %s = %v, %v", n.ID, added, err)
			}
		}
		again := notes[0]
		again.Text = "changed"
		if added, err := s.AddNote(ctx, again); err != nil || added {
			t.Fatalf("resent note: added = %v, %v; want kept once", added, err)
		}

		got, err := s.Notes(ctx, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Text != "第一条" || got[1].AgentID != "a2" || !got[1].At.Equal(notes[1].At) {
			t.Fatalf("notes of c1 = %+v", got)
		}
		if none, _ := s.Notes(ctx, "c9"); len(none) != 0 {
			t.Fatalf("notes of an unknown conversation = %+v", none)
		}
	})
}
