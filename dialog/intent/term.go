package intent

import (
	"strings"

	"hotline/dialog/textnorm"
)

// term is one phrase of the phrase file in normalized form. A term made of
// ASCII only matches whole words; a trailing * lets its last word be a
// prefix (disconnect* matches disconnected). Other terms match anywhere.
type term struct {
	text   string
	words  bool // ASCII term: match on word boundaries
	prefix bool // the last word may continue
}

// newTerm normalizes a phrase. It returns false when nothing is left.
func newTerm(phrase string) (term, bool) {
	prefix := strings.HasSuffix(strings.TrimSpace(phrase), "*")
	text := textnorm.Normalize(strings.TrimSuffix(strings.TrimSpace(phrase), "*"))
	if text == "" {
		return term{}, false
	}
	return term{text: text, words: ascii(text), prefix: prefix}, true
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// find returns the byte offset of the first match at or after from, or -1.
func (t term) find(s string, from int) int {
	for from <= len(s) {
		i := strings.Index(s[from:], t.text)
		if i < 0 {
			return -1
		}
		at := from + i
		if t.fits(s, at) {
			return at
		}
		from = at + 1
	}
	return -1
}

// at reports whether the term matches at offset i of s.
func (t term) at(s string, i int) bool {
	return strings.HasPrefix(s[i:], t.text) && t.fits(s, i)
}

// fits checks the word boundaries of a match at i.
func (t term) fits(s string, i int) bool {
	if !t.words {
		return true
	}
	if i > 0 && wordByte(s[i-1]) {
		return false
	}
	end := i + len(t.text)
	return t.prefix || end == len(s) || !wordByte(s[end])
}

func wordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '\''
}

// terms is a set of alternatives.
type terms []term

// any reports whether one of the terms occurs in s.
func (ts terms) any(s string) bool {
	for _, t := range ts {
		if t.find(s, 0) >= 0 {
			return true
		}
	}
	return false
}

// spans appends the [start, end) byte ranges of every match in s.
func (ts terms) spans(s string, out [][2]int) [][2]int {
	for _, t := range ts {
		for i := t.find(s, 0); i >= 0; i = t.find(s, i+1) {
			out = append(out, [2]int{i, i + len(t.text)})
		}
	}
	return out
}
