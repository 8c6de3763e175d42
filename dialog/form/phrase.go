package form

import "hotline/dialog/textnorm"

// phrase is a keyword, alias or label in normalised form; it matches as a
// textnorm.Phrase does (ASCII phrases on word boundaries only).
type phrase struct{ textnorm.Phrase }

// phrases normalises a list, dropping entries that normalise to nothing.
func phrases(list ...string) []phrase {
	out := make([]phrase, 0, len(list))
	for _, s := range list {
		if p, ok := textnorm.NewPhrase(s, false); ok {
			out = append(out, phrase{p})
		}
	}
	return out
}

// in reports whether the phrase occurs in the normalised text s.
func (p phrase) in(s string) bool { return p.Find(s, 0) >= 0 }

// mark sets covered[i] for every byte of s inside a match of the phrase
// and reports whether there was one. covered is as long as s.
func (p phrase) mark(s string, covered []bool) bool {
	found := false
	for i := p.Find(s, 0); i >= 0; i = p.Find(s, i+1) {
		for j := i; j < i+len(p.Text()); j++ {
			covered[j] = true
		}
		found = true
	}
	return found
}

// size is the length used to rank matches: longer phrases are more
// specific. A Chinese character counts as two letters, as it says more.
func (p phrase) size() int {
	if p.Words() {
		return len(p.Text())
	}
	return len([]rune(p.Text())) * 2
}

// longest returns the size of the longest phrase of list found in s, or 0.
func longest(list []phrase, s string) int {
	best := 0
	for _, p := range list {
		if p.size() > best && p.in(s) {
			best = p.size()
		}
	}
	return best
}

// whole reports whether one phrase of list is the whole of s.
func whole(list []phrase, s string) bool {
	for _, p := range list {
		if p.Text() == s {
			return true
		}
	}
	return false
}

// isWordByte reports whether c belongs to an English word or a number in
// normalised text.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '\''
}
