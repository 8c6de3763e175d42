package handoff

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Sensitive is one piece of personal data found in a text, as byte
// offsets into it.
type Sensitive struct {
	// Kind is "mobile", "landline", "id_card", "bank_card" or "address".
	Kind string
	// Start and End are the byte offsets of the piece in the text.
	Start, End int
}

// Kinds of personal data FindSensitive finds.
const (
	KindMobile   = "mobile"
	KindLandline = "landline"
	KindIDCard   = "id_card"
	KindBankCard = "bank_card"
	KindAddress  = "address"
)

// FindSensitive returns the personal data in a text, in order: mobile and
// landline numbers (with or without +86, spaces or dashes, in ASCII or
// full-width digits), identity card numbers, bank card numbers and street
// addresses.
//
// A number must stand alone: a digit, a dash or a Latin letter joined to
// it makes it part of something else, such as a ticket number
// (TK20261203-000123). An 18-character identity card number counts when
// its birth date is plausible, whether or not its check character is
// right, since a mistyped one is still personal. A run of 13 to 15 digits
// is a bank card number when its Luhn check holds, and any run of 16 to 19
// digits is taken for one. An address is found from its street and number
// on: 朝阳区建国路88号 yields 建国路88号, so the district stays readable.
func FindSensitive(text string) []Sensitive {
	f := foldText(text)
	var out []Sensitive
	taken := make([]bool, len(f.s))
	for _, d := range detectors {
		for _, m := range d.re.FindAllStringSubmatchIndex(f.s, -1) {
			start, end, ok := d.span(f.s, m)
			if ok && free(taken, start, end) {
				for i := start; i < end; i++ {
					taken[i] = true
				}
				out = append(out, Sensitive{Kind: d.kind, Start: f.at[start], End: f.at[end]})
			}
		}
	}
	sortSensitive(out)
	return out
}

// Mask returns the text with its personal data masked: numbers keep
// their first three and last four digits, the rest shown as *, so an
// agent can tell numbers apart and confirm one the subscriber reads out
// without the whole number on screen; an address's street, number and
// rooms become *, its district stays. Separators between digits are kept.
func Mask(text string) string {
	found := FindSensitive(text)
	if len(found) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, s := range found {
		b.WriteString(text[last:s.Start])
		if s.Kind == KindAddress {
			b.WriteString(maskAll(text[s.Start:s.End]))
		} else {
			b.WriteString(maskDigits(text[s.Start:s.End]))
		}
		last = s.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// maskDigits keeps the first three and last four digits of a number (an
// identity card's X counts as one) and anything that is not a digit; with
// seven digits or fewer all go.
func maskDigits(n string) string {
	isDigitX := func(r rune) bool { r = foldRune(r); return isDigit(r) || r == 'X' || r == 'x' }
	digits := 0
	for _, r := range n {
		if isDigitX(r) {
			digits++
		}
	}
	var b strings.Builder
	i := 0
	for _, r := range n {
		if !isDigitX(r) {
			b.WriteRune(r)
			continue
		}
		if digits > 7 && (i < 3 || i >= digits-4) {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

// maskAll replaces every character but spaces and ASCII punctuation
// with *.
func maskAll(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(" ,.-#", r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// folded is a text with full-width digits, letters and signs made ASCII,
// one rune for one rune, and where each of its bytes came from.
type folded struct {
	s  string
	at []int // at[i] is the original offset of byte i; at[len(s)] = len(text)
}

func foldText(text string) folded {
	var b strings.Builder
	at := make([]int, 0, len(text)+1)
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		fr := foldRune(r)
		if r == utf8.RuneError && w == 1 {
			fr = '?' // an invalid byte stays one byte
		}
		for range utf8.RuneLen(fr) {
			at = append(at, i)
		}
		b.WriteRune(fr)
		i += w
	}
	at = append(at, len(text))
	return folded{s: b.String(), at: at}
}

// foldRune makes full-width ASCII forms (０-９, Ｘ, －, ＋, （, ）) and the
// ideographic space plain ASCII.
func foldRune(r rune) rune {
	switch {
	case r >= '！' && r <= '～':
		return r - '！' + '!'
	case r == '　':
		return ' '
	}
	return r
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// detector finds one kind of data; span says which part of a match is
// the data and whether it stands alone.
type detector struct {
	kind string
	re   *regexp.Regexp
	span func(s string, m []int) (start, end int, ok bool)
}

// Number and address patterns, matched on the folded text.
var (
	idCardPattern = regexp.MustCompile(`[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]` +
		`|[1-9][0-9]{5}[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}`)
	bankCardPattern = regexp.MustCompile(`[0-9]{13,19}|[0-9]{4}(?:[ -][0-9]{4}){2,3}(?:[ -][0-9]{1,3})?`)
	mobilePattern   = regexp.MustCompile(`(?:(?:\+|00)?86[ -]?)?(1[3-9][0-9](?:[ -]?[0-9]{4}){2})`)
	landlinePattern = regexp.MustCompile(`(?:\+?86[ -]?)?(\(0[1-9][0-9]{1,2}\) ?[2-9][0-9]{2,3}[ -]?[0-9]{4}` +
		`|0[1-9][0-9]{1,2}[ -]?[2-9][0-9]{2,3}[ -]?[0-9]{4})`)

	cnNumber = `[0-9一二三四五六七八九十百零〇]+`
	cnRooms  = `(?:-?` + cnNumber + `(?:号楼|号院|栋|幢|座))?(?:-?` + cnNumber + `单元(?:-?` + cnNumber +
		`(?:室|号房|房)?)?)?(?:-?` + cnNumber + `(?:层|楼))?(?:-?` + cnNumber + `(?:室|号房|房))?`
	cnStreetPattern = regexp.MustCompile(`([\p{Han}0-9]{2,12}?)(?:路|街|大道|巷|弄|胡同)` + cnNumber +
		`(?:-` + cnNumber + `)?(?:号|弄)院?` + cnRooms)
	cnEstatePattern = regexp.MustCompile(`([\p{Han}]{2,12}?)(?:小区|花园|家园|公寓|新村|大厦|社区|苑)` +
		cnNumber + `(?:号楼|号院|栋|幢|座|号|期)` + cnRooms)
	cnBuildingPattern = regexp.MustCompile(cnNumber + `(?:号楼|栋|幢|座)-?` + cnNumber + `单元(?:-?` +
		cnNumber + `(?:室|号房)?)?|` + cnNumber + `单元-?` + cnNumber + `(?:室|号房)`)
	enStreetPattern = regexp.MustCompile(`\b[0-9]{1,5}[A-Za-z]?(?: [A-Z][A-Za-z]*\.?){1,4} ` +
		`(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Ln|Lane|Dr|Drive|Way|Ct|Court|Pl|Place|Ter|Terrace|Hwy|Highway)\b\.?` +
		`(?:,? (?:Apt|Suite|Unit|#) ?[0-9A-Za-z-]+)?`)
)

// detectors run in order; an earlier one's finding wins over an overlap.
var detectors = []detector{
	{KindIDCard, idCardPattern, wholeAlone},
	{KindMobile, mobilePattern, groupAlone},
	{KindBankCard, bankCardPattern, bankCard},
	{KindLandline, landlinePattern, groupAlone},
	{KindAddress, cnStreetPattern, address},
	{KindAddress, cnEstatePattern, address},
	{KindAddress, cnBuildingPattern, whole},
	{KindAddress, enStreetPattern, whole},
}

func whole(_ string, m []int) (int, int, bool) { return m[0], m[1], true }

func wholeAlone(s string, m []int) (int, int, bool) { return m[0], m[1], alone(s, m[0], m[1]) }

// groupAlone is the first group of a match that stands alone as a whole,
// so a calling code stays outside the masked part.
func groupAlone(s string, m []int) (int, int, bool) {
	return m[2], m[3], alone(s, m[0], m[1])
}

// bankCard accepts 16 to 19 digits, or 13 to 19 that pass the Luhn check.
func bankCard(s string, m []int) (int, int, bool) {
	if !alone(s, m[0], m[1]) {
		return 0, 0, false
	}
	var digits []byte
	for i := m[0]; i < m[1]; i++ {
		if isDigit(rune(s[i])) {
			digits = append(digits, s[i])
		}
	}
	n := len(digits)
	return m[0], m[1], n >= 13 && n <= 19 && (n >= 16 || luhn(digits))
}

// address drops from a match's name the words before the street: what
// ends with a district (…区, …市) or a word such as 在 or 住.
func address(s string, m []int) (int, int, bool) {
	start := m[0]
	for i, r := range s[m[2]:m[3]] {
		if strings.ContainsRune(addressStops, r) {
			start = m[2] + i + utf8.RuneLen(r)
		}
	}
	return start, m[1], start < m[1]
}

// addressStops end the words before a street name.
const addressStops = "省市区县旗镇乡在住是到于址的寄送往去为我您你他她家"

// luhn reports whether ASCII digits pass the Luhn check.
func luhn(digits []byte) bool {
	sum := 0
	for i := range digits {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// alone reports whether s[start:end] has no digit, dash or Latin letter
// joined to it on either side.
func alone(s string, start, end int) bool {
	joined := func(c byte) bool {
		return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-'
	}
	return (start == 0 || !joined(s[start-1])) && (end == len(s) || !joined(s[end]))
}

func free(taken []bool, start, end int) bool {
	for i := start; i < end; i++ {
		if taken[i] {
			return false
		}
	}
	return true
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
