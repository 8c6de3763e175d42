package handoff

import (
	"slices"
	"testing"
	"time"
)

func TestSortQueue(t *testing.T) {
	es := []Entry{
		{ConversationID: "new-normal", Priority: PriorityNormal, WaitingSince: t0.Add(2 * time.Minute)},
		{ConversationID: "old-normal", Priority: PriorityNormal, WaitingSince: t0},
		{ConversationID: "complaint", Priority: PriorityComplaint, WaitingSince: t0.Add(5 * time.Minute)},
		{ConversationID: "b-same", Priority: PriorityAtRisk, WaitingSince: t0},
		{ConversationID: "a-same", Priority: PriorityAtRisk, WaitingSince: t0},
		{ConversationID: "returned", Priority: PriorityNormal, WaitingSince: t0.Add(9 * time.Minute),
			Head: true},
	}
	SortQueue(es)
	var got []string
	for _, e := range es {
		got = append(got, e.ConversationID)
	}
	want := []string{"complaint", "a-same", "b-same", "returned", "old-normal", "new-normal"}
	if !slices.Equal(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	if !Before(es[0], es[1]) || Before(es[1], es[0]) {
		t.Fatal("Before disagrees with SortQueue")
	}
}
