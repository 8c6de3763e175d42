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

// matches reports whether the normalized message s has the intent. A
// whole-message phrase always counts; the other forms count unless an
// exclusion of the intent occurs.
func (r *rule) matches(s string) bool {
	if r.whole.matches(s) {
		return true
	}
	if r.unless.any(s) {
		return false
	}
	if r.phrases.any(s) {
		return true
	}
	for _, c := range r.combos {
		if c.matches(s) {
			return true
		}
	}
	for _, p := range r.patterns {
		if p.MatchString(s) {
			return true
		}
	}
	return false
}
