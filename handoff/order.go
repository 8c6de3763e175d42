package handoff

import (
	"slices"
	"strings"
)

// Before reports whether a is served before b: higher priority first;
// within a priority, conversations sent back to the queue by an agent
// (Head) first; then the one waiting longest; then by conversation id, so
// the order is total and the same in every store.
func Before(a, b Entry) bool {
	return compareEntries(a, b) < 0
}

// SortQueue puts entries in queue order.
func SortQueue(es []Entry) {
	slices.SortFunc(es, compareEntries)
}

// compareEntries is the queue order as a comparison.
func compareEntries(a, b Entry) int {
	if a.Priority != b.Priority {
		if a.Priority > b.Priority {
			return -1
		}
		return 1
	}
	if a.Head != b.Head {
		if a.Head {
			return -1
		}
		return 1
	}
	if c := a.WaitingSince.Compare(b.WaitingSince); c != 0 {
		return c
	}
	return strings.Compare(a.ConversationID, b.ConversationID)
}
