package kb

import "testing"

// loadTestBase loads testdata/telecom.yaml with the default options.
func loadTestBase(t testing.TB) *Base {
	t.Helper()
	b, err := Load("testdata/telecom.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return b
}

// topID returns the id of the first candidate, or "".
func topID(r Result) string {
	if c, ok := r.Top(); ok {
		return c.Entry.ID
	}
	return ""
}
