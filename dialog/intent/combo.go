package intent

import "unicode/utf8"

// combo matches when every group has a term in the message and one match
// of each fits in a window of within characters (any window when within
// is 0), unless one of its own exclusions occurs.
type combo struct {
	groups []terms
	within int
	unless terms
}

// matches reports whether the combination occurs in s.
func (c combo) matches(s string) bool {
	if c.unless.any(s) {
		return false
	}
	spans := make([][][2]int, len(c.groups))
	for i, g := range c.groups {
		spans[i] = g.spans(s, nil)
		if len(spans[i]) == 0 {
			return false
		}
	}
	if c.within <= 0 {
		return true
	}
	return c.fits(s, spans, 0, len(s), 0)
}

// fits searches for one span per group, from group i on, such that the
// whole stretch [lo, hi) stays within the window.
func (c combo) fits(s string, spans [][][2]int, i, lo, hi int) bool {
	if i == len(spans) {
		return units(s[lo:hi]) <= c.within
	}
	for _, sp := range spans[i] {
		nlo, nhi := min(lo, sp[0]), max(hi, sp[1])
		if i == 0 {
			nlo, nhi = sp[0], sp[1]
		}
		if units(s[nlo:nhi]) > c.within {
			continue
		}
		if c.fits(s, spans, i+1, nlo, nhi) {
			return true
		}
	}
	return false
}

// units measures a stretch of text for a window: each Chinese character
// counts one, and so does each English word (with the space before it),
// so a window of 10 spans about ten words in English as in Chinese.
func units(s string) int {
	n := 0
	inWord := false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '\''):
			if !inWord {
				n++
			}
			inWord = true
		case r == ' ':
			inWord = false
		default:
			inWord = false
			n++
		}
	}
	return n
}
