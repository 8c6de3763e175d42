package intent

import "regexp"

// rule is the compiled form of one intent of the phrase file.
type rule struct {
	name     Name
	whole    whole
	phrases  terms
	combos   []combo
	patterns []*regexp.Regexp
	unless   terms
}

// Clauses of a rule that matchedClause reports: the whole-message phrases,
// the phrases, then each combination and each pattern in file order.
const (
	clauseWhole   = 0
	clausePhrases = 1
	firstCombo    = 2
)

// noClause is what matchedClause returns when the rule does not match.
const noClause = -1

// matches reports whether the normalized message s has the intent. A
// whole-message phrase always counts; the other forms count unless an
// exclusion of the intent occurs.
func (r *rule) matches(s string) bool {
	return r.matchedClause(s) != noClause
}

// matchedClause returns the first clause of the rule that matches the
// normalized message s (see clauseWhole), or noClause.
func (r *rule) matchedClause(s string) int {
	if r.whole.matches(s) {
		return clauseWhole
	}
	if r.unless.any(s) {
		return noClause
	}
	if r.phrases.any(s) {
		return clausePhrases
	}
	for i, c := range r.combos {
		if c.matches(s) {
			return firstCombo + i
		}
	}
	for i, p := range r.patterns {
		if p.MatchString(s) {
			return firstCombo + len(r.combos) + i
		}
	}
	return noClause
}
