package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize returns s folded for matching: full-width forms become ASCII,
// letters are lower-cased, traditional Chinese characters become simplified
// ones, runs of three or more spoken digits (九六幺幺零) become ASCII digits,
// every run of spaces, punctuation and symbols becomes one space, and
// regional spellings of function words become standard ones (see
// Standardize). An apostrophe between letters (can't) and a dot between
// digits (1.5) are kept. The result has no leading or trailing space.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pending := false // a separator is owed before the next written rune
	var prev rune    // last rune written; 0 after a separator

	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		r = Fold(r)

		if digits, size := spokenNumber(s[i:]); size > 0 {
			if pending {
				b.WriteByte(' ')
				pending = false
			}
			b.WriteString(digits)
			prev = '0'
			i += size
			continue
		}

		if isWordRune(r) || joins(r, prev, nextFolded(s[i+n:])) {
			if pending {
				b.WriteByte(' ')
				pending = false
			}
			b.WriteRune(r)
			prev = r
		} else {
			pending = b.Len() > 0
			prev = 0
		}
		i += n
	}
	return Standardize(b.String())
}

// Fold maps one rune to its matching form: a full-width form to ASCII, the
// ideographic space to a space, typographic apostrophes to ', upper case to
// lower case and a traditional character to its simplified form.
func Fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		return ' '
	case r == '\u2018' || r == '\u2019' || r == '\u02BC' || r == '`':
		return '\''
	}
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	return Simplify(unicode.ToLower(r))
}

// IsHan reports whether r is a Chinese character (CJK unified or
// compatibility ideograph).
func IsHan(r rune) bool {
	switch {
	case r < 0x3400:
		return r == 0x3007 // 〇, the ideographic zero
	case r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF, r >= 0xF900 && r <= 0xFAFF:
		return true
	default:
		return r >= 0x20000 && r <= 0x3FFFF
	}
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// joins reports whether the separator r stays because it sits inside a
// token: an apostrophe between letters or a dot between digits.
func joins(r, prev, next rune) bool {
	switch r {
	case '\'':
		return isASCIILetter(prev) && isASCIILetter(next)
	case '.':
		return isDigit(prev) && isDigit(next)
	}
	return false
}

func nextFolded(s string) rune {
	if s == "" {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s)
	return Fold(r)
}

func isASCIILetter(r rune) bool { return 'a' <= r && r <= 'z' }

func isDigit(r rune) bool { return '0' <= r && r <= '9' }
