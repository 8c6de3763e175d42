package form

import (
	"strings"

	"hotline/dialog/textnorm"
)

// phrase is a keyword, alias or label in normalised form. A phrase of ASCII
// characters only matches whole words (no matches "no signal" but not
// "now"); other phrases match anywhere.
type phrase struct {
	text  string
	words bool
}

// newPhrase normalises s. It returns false when nothing is left.
func newPhrase(s string) (phrase, bool) {
	text := textnorm.Normalize(s)
	if text == "" {
		return phrase{}, false
	}
	return phrase{text: text, words: isASCII(text)}, true
}

// phrases normalises a list, dropping entries that normalise to nothing.
func phrases(list ...string) []phrase {
	out := make([]phrase, 0, len(list))
	for _, s := range list {
		if p, ok := newPhrase(s); ok {
			out = append(out, p)
		}
	}
	return out
}

// in reports whether the phrase occurs in the normalised text s.
func (p phrase) in(s string) bool { return p.next(s, 0) >= 0 }

// next returns the byte offset of the first match at or after from, or -1.
func (p phrase) next(s string, from int) int {
	for from <= len(s) {
		i := strings.Index(s[from:], p.text)
		if i < 0 {
			return -1
		}
		at := from + i
		if p.fits(s, at) {
			return at
		}
		from = at + 1
	}
	return -1
}

// mark sets covered[i] for every byte of s inside a match of the phrase
// and reports whether there was one. covered is as long as s.
func (p phrase) mark(s string, covered []bool) bool {
	found := false
	for i := p.next(s, 0); i >= 0; i = p.next(s, i+1) {
		for j := i; j < i+len(p.text); j++ {
			covered[j] = true
		}
		found = true
	}
	return found
}

// fits checks the word boundaries of a match at byte offset i of s.
func (p phrase) fits(s string, i int) bool {
	if !p.words {
		return true
	}
	if i > 0 && isWordByte(s[i-1]) {
		return false
	}
	end := i + len(p.text)
	return end == len(s) || !isWordByte(s[end])
}

// size is the length used to rank matches: longer phrases are more
// specific. A Chinese character counts as two letters, as it says more.
func (p phrase) size() int {
	if p.words {
		return len(p.text)
	}
	return len([]rune(p.text)) * 2
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
		if p.text == s {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '\''
}
