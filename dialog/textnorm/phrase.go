package textnorm

import "strings"

// Phrase is a keyword in normalised form, to be found in normalised text.
// A phrase of ASCII characters only matches whole words ("no" matches "no
// signal" but not "now"), and with a prefix its last word may continue
// ("disconnect" as a prefix matches "disconnected"); other phrases match
// anywhere, as Chinese has no spaces between words.
type Phrase struct {
	text   string
	words  bool
	prefix bool
}

// NewPhrase normalises s. It returns false when nothing is left.
func NewPhrase(s string, prefix bool) (Phrase, bool) {
	text := Normalize(s)
	if text == "" {
		return Phrase{}, false
	}
	return Phrase{text: text, words: isASCII(text), prefix: prefix}, true
}

// Text is the normalised phrase.
func (p Phrase) Text() string { return p.text }

// Words reports whether the phrase matches on word boundaries only.
func (p Phrase) Words() bool { return p.words }

// Find returns the byte offset in the normalised text s of the first match
// at or after from, or -1.
func (p Phrase) Find(s string, from int) int {
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

// At reports whether the phrase matches at byte offset i of s.
func (p Phrase) At(s string, i int) bool {
	return strings.HasPrefix(s[i:], p.text) && p.fits(s, i)
}

// fits checks the word boundaries of a match at byte offset i of s.
func (p Phrase) fits(s string, i int) bool {
	if !p.words {
		return true
	}
	if i > 0 && isWordByte(s[i-1]) {
		return false
	}
	end := i + len(p.text)
	return p.prefix || end == len(s) || !isWordByte(s[end])
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
