package kb

import "fmt"

// Verdict is how sure the matcher is about a message.
type Verdict int

const (
	// Unknown means no entry is close to the message.
	Unknown Verdict = iota
	// Suggest means some entries are close but none is clearly right; the
	// candidates are offered to the subscriber to choose from.
	Suggest
	// Answer means the first candidate answers the message.
	Answer
)

// String returns the verdict's lower-case name.
func (v Verdict) String() string {
	switch v {
	case Unknown:
		return "unknown"
	case Suggest:
		return "suggest"
	case Answer:
		return "answer"
	}
	return fmt.Sprintf("verdict(%d)", int(v))
}

// Result is the outcome of matching one message.
type Result struct {
	// Verdict says what to do with the candidates.
	Verdict Verdict
	// Candidates are the closest entries, best first, at most
	// Options.MaxCandidates of them. With Answer the first is the answer;
	// with Unknown they are only for diagnostics.
	Candidates []Candidate
}

// Top returns the best candidate, or false when there is none.
func (r Result) Top() (Candidate, bool) {
	if len(r.Candidates) == 0 {
		return Candidate{}, false
	}
	return r.Candidates[0], true
}

// Candidate is an entry with its score for a message.
type Candidate struct {
	// Entry is the matched entry.
	Entry *Entry
	// Score is between 0 (nothing in common) and 1 (the message is one of
	// the entry's phrasings).
	Score float64
	// Coverage is the share of the message's weight that the entry
	// explains, between 0 and 1. A long message is measured against the
	// part of it an entry can be expected to explain, so a story told
	// around a question is not held against the question.
	Coverage float64
}
