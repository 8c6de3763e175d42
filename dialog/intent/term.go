package intent

import (
	"strings"

	"hotline/dialog/textnorm"
)

// term is one phrase of the phrase file in normalized form, matched as a
// textnorm.Phrase: ASCII terms on word boundaries only, and a trailing *
// lets the last word be a prefix (disconnect* matches disconnected).
type term struct{ textnorm.Phrase }

// newTerm normalizes a phrase. It returns false when nothing is left.
func newTerm(phrase string) (term, bool) {
	trimmed := strings.TrimSpace(phrase)
	p, ok := textnorm.NewPhrase(strings.TrimSuffix(trimmed, "*"), strings.HasSuffix(trimmed, "*"))
	return term{p}, ok
}

// terms is a set of alternatives.
type terms []term

// any reports whether one of the terms occurs in s.
func (ts terms) any(s string) bool {
	for _, t := range ts {
		if t.Find(s, 0) >= 0 {
			return true
		}
	}
	return false
}

// spans appends the [start, end) byte ranges of every match in s.
func (ts terms) spans(s string, out [][2]int) [][2]int {
	for _, t := range ts {
		for i := t.Find(s, 0); i >= 0; i = t.Find(s, i+1) {
			out = append(out, [2]int{i, i + len(t.Text())})
		}
	}
	return out
}
