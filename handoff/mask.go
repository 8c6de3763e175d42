package handoff

import (
	"regexp"
	"strings"
)

// Sensitive is one phone number or identity card number found in a text,
// as byte offsets into it.
type Sensitive struct {
	// Kind is "mobile", "landline" or "id_card".
	Kind string
	// Start and End are the byte offsets of the number in the text.
	Start, End int
}

// Number patterns. Each must stand alone: no digit (or, for identity
// cards, no letter X) right before or after it, so parts of longer numbers
// such as ticket numbers are never taken for one.
var (
	mobilePattern   = regexp.MustCompile(`1[3-9][0-9]{9}`)
	landlinePattern = regexp.MustCompile(`0[1-9][0-9]{1,2}-?[2-9][0-9]{6,7}`)
	idCardPattern   = regexp.MustCompile(`[1-9][0-9]{16}[0-9Xx]|[1-9][0-9]{14}`)
)

// FindSensitive returns the phone numbers and identity card numbers in a
// text, in order. An 18-character identity card number counts only when
// its check digit is right, so a long order number is not mistaken for
// one; a 15-digit one (the older form) has no check digit.
func FindSensitive(text string) []Sensitive {
	var out []Sensitive
	taken := make([]bool, len(text))
	add := func(kind string, re *regexp.Regexp, ok func(string) bool) {
		for _, m := range re.FindAllStringIndex(text, -1) {
			if alone(text, m[0], m[1]) && free(taken, m[0], m[1]) && ok(text[m[0]:m[1]]) {
				out = append(out, Sensitive{Kind: kind, Start: m[0], End: m[1]})
				for i := m[0]; i < m[1]; i++ {
					taken[i] = true
				}
			}
		}
	}
	add("id_card", idCardPattern, validIDCard)
	add("mobile", mobilePattern, func(string) bool { return true })
	add("landline", landlinePattern, func(string) bool { return true })
	sortSensitive(out)
	return out
}

// Mask returns the text with each phone number and identity card number
// masked: the first three and last four characters kept, the rest shown
// as *, so an agent can tell numbers apart and confirm one the subscriber
// reads out without the whole number on screen.
func Mask(text string) string {
	found := FindSensitive(text)
	if len(found) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, s := range found {
		b.WriteString(text[last:s.Start])
		b.WriteString(maskNumber(text[s.Start:s.End]))
		last = s.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// maskNumber keeps the first three and last four characters of a number.
func maskNumber(n string) string {
	if len(n) <= 7 {
		return strings.Repeat("*", len(n))
	}
	return n[:3] + strings.Repeat("*", len(n)-7) + n[len(n)-4:]
}

// alone reports whether text[start:end] has no digit, dash or X joined to
// it on either side.
func alone(text string, start, end int) bool {
	joined := func(c byte) bool { return c >= '0' && c <= '9' || c == 'X' || c == 'x' || c == '-' }
	return (start == 0 || !joined(text[start-1])) && (end == len(text) || !joined(text[end]))
}

func free(taken []bool, start, end int) bool {
	for i := start; i < end; i++ {
		if taken[i] {
			return false
		}
	}
	return true
}

// validIDCard checks an identity card number: the check character of an
// 18-character number (ISO 7064 MOD 11-2); 15-digit numbers have none.
func validIDCard(n string) bool {
	if len(n) == 15 {
		return true
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(n[i]-'0') * w
	}
	check := "10X98765432"[sum%11]
	last := n[17]
	if last == 'x' {
		last = 'X'
	}
	return last == check
}

// sortSensitive orders findings by position; there are few, so insertion
// sort does.
func sortSensitive(s []Sensitive) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Start < s[j-1].Start; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
