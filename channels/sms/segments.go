package sms

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Encoding is the character encoding a message is sent in, which decides
// how many characters fit in one SMS part.
type Encoding string

// The two encodings an SMS can travel in.
const (
	// GSM7 is the GSM 03.38 7-bit default alphabet: 160 septets in a
	// single part, 153 per part once the message is split.
	GSM7 Encoding = "gsm7"
	// UCS2 is UTF-16: 70 code units in a single part, 67 per part once
	// the message is split. One character outside the GSM alphabet puts
	// the whole message in UCS2.
	UCS2 Encoding = "ucs2"
)

// Per-part capacities, in septets for GSM7 and UTF-16 code units for UCS2.
// A split message loses room in every part to the concatenation header.
const (
	gsmSingle  = 160
	gsmPart    = 153
	ucs2Single = 70
	ucs2Part   = 67
)

// Segments is the billed size of one message.
type Segments struct {
	// Encoding is the encoding the message needs.
	Encoding Encoding
	// Units is the length in the encoding's units: GSM-7 septets, where
	// a character from the extension table takes 2, or UTF-16 code units
	// for UCS2, where a character outside the Basic Multilingual Plane
	// (most emoji) takes 2.
	Units int
	// Parts is the number of SMS parts the message is split into and
	// billed as; 0 for an empty message.
	Parts int
}

// Count returns the billed size of text sent under signature, the way the
// platform delivers it: the signature, with its brackets, in front of the
// text.
//
// A non-empty signature is counted as 【signature】 when it holds any
// character outside the GSM alphabet, and as [signature] otherwise (the
// form English international signatures take). A signature already written
// with either kind of brackets is counted as it is. Surrounding spaces in
// the signature are ignored.
//
// If any character of the signature or the text is outside the GSM 03.38
// basic set and its extension table, the message is UCS2: up to 70 units
// is one part, a longer one takes ceil(units/67) parts. Otherwise it is
// GSM7: up to 160 septets is one part, a longer one takes ceil(units/153)
// parts, and the extension characters | ^ € { } [ ] ~ \ and form feed take
// two septets each.
//
// Chinese carriers (and Alibaba Cloud, Tencent Cloud and Huawei Cloud on
// their behalf) count every Hanzi, Latin letter, digit, punctuation mark
// and space as one character, 70 to a single message and 67 to each part of
// a longer one. That is the UCS2 count for every character of the Basic
// Multilingual Plane; an emoji or another character beyond it is two
// UTF-16 units and counts 2 here. A domestic message always carries a
// 【签名】, so it is always counted as UCS2, as the carriers do.
//
// Parts are ceil(units/capacity): a phone that keeps an escape pair or a
// surrogate pair together across a part boundary may, rarely, need one
// part more than this count.
func Count(text, signature string) Segments {
	sig := bracketSignature(signature)
	var c segCounter
	c.addString(sig)
	c.addString(text)
	return c.segments()
}

// FitParts shortens text so that text under signature takes at most parts
// parts, and reports whether it had to. parts < 1 means no limit. A text
// that already fits is returned unchanged.
//
// A shortened text is cut between two characters, never inside a UTF-8
// sequence or a UTF-16 surrogate pair, not in front of a combining mark, a
// variation selector or an emoji skin-tone modifier, not next to a
// zero-width joiner, and not inside a flag.
// Within the last fifth of the longest cut that fits it prefers to cut
// after a line break or the end of a sentence (。！？；… or . ! ? ; followed
// by a space). Trailing white space is dropped and an ellipsis is appended:
// "…" when the message is UCS2 anyway, and "..." when it is GSM7, because a
// "…" would switch the whole message to UCS2 and cost more than half of its
// room. If not even an ellipsis fits after the signature, the result is
// empty.
func FitParts(text, signature string, parts int) (string, bool) {
	if parts < 1 || Count(text, signature).Parts <= parts {
		return text, false
	}
	sig := bracketSignature(signature)
	var base segCounter
	base.addString(sig)

	// Walk the text once, keeping the count of signature + prefix, and
	// record the cut points where prefix + ellipsis still fits.
	type cut struct {
		at    int // byte offset in text
		runes int // runes before at
		nice  bool
	}
	// Once a prefix does not fit, no longer one does: switching to UCS2
	// on the way loses more room than the extension characters gave.
	var cuts []cut
	c := base
	for at, runes := 0, 0; fitsWithEllipsis(c, parts); {
		if cutAllowed(text, at) {
			cuts = append(cuts, cut{at: at, runes: runes, nice: niceCut(text, at)})
		}
		if at == len(text) {
			break
		}
		r, size := utf8.DecodeRuneInString(text[at:])
		c.addRune(r)
		runes++
		at += size
	}
	if len(cuts) == 0 {
		return "", true
	}
	best := cuts[len(cuts)-1]
	chosen := best
	floor := best.runes - best.runes/5
	for k := len(cuts) - 1; k >= 0 && cuts[k].runes >= floor; k-- {
		if cuts[k].nice && cuts[k].runes > 0 {
			chosen = cuts[k]
			break
		}
	}
	if out, ok := finishCut(text[:chosen.at], signature, parts); ok {
		return out, true
	}
	if out, ok := finishCut(text[:best.at], signature, parts); ok {
		return out, true
	}
	return "", true
}

// finishCut trims a prefix chosen by FitParts, repairs any invalid UTF-8
// the input carried, appends the ellipsis that suits the encoding and
// checks that the result fits.
func finishCut(prefix, signature string, parts int) (string, bool) {
	prefix = strings.ToValidUTF8(prefix, string(utf8.RuneError))
	prefix = strings.TrimRightFunc(prefix, unicode.IsSpace)
	out := prefix + ellipsisFor(Count(prefix, signature).Encoding)
	if Count(out, signature).Parts <= parts {
		return out, true
	}
	return "", false
}

// ellipsisFor is the ellipsis appended to a cut text in encoding e.
func ellipsisFor(e Encoding) string {
	if e == GSM7 {
		return "..."
	}
	return "…"
}

// fitsWithEllipsis reports whether a message counted so far by c still
// fits in parts once the matching ellipsis is appended.
func fitsWithEllipsis(c segCounter, parts int) bool {
	if c.ucs2 {
		c.addString("…")
	} else {
		c.addString("...")
	}
	return c.segments().Parts <= parts
}

// cutAllowed reports whether text may be cut at byte offset at without
// tearing a character that is drawn from several code points.
func cutAllowed(text string, at int) bool {
	if at == 0 || at == len(text) {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(text[:at])
	next, _ := utf8.DecodeRuneInString(text[at:])
	if prev == zeroWidthJoiner || next == zeroWidthJoiner {
		return false
	}
	if isVariationSelector(next) || isSkinTone(next) || unicode.In(next, unicode.Mn, unicode.Me) {
		return false
	}
	if isRegionalIndicator(prev) && isRegionalIndicator(next) {
		// Flags are pairs of regional indicators; cut only between pairs.
		n := 0
		for s := text[:at]; s != ""; {
			r, size := utf8.DecodeLastRuneInString(s)
			if !isRegionalIndicator(r) {
				break
			}
			n++
			s = s[:len(s)-size]
		}
		return n%2 == 0
	}
	return true
}

const zeroWidthJoiner = '\u200d'

// isVariationSelector reports whether r selects a glyph variant of the
// character before it.
func isVariationSelector(r rune) bool {
	return (r >= 0xfe00 && r <= 0xfe0f) || (r >= 0xe0100 && r <= 0xe01ef)
}

// isSkinTone reports whether r is an emoji skin-tone modifier.
func isSkinTone(r rune) bool { return r >= 0x1f3fb && r <= 0x1f3ff }

// isRegionalIndicator reports whether r is one of the letters flags are
// spelled with.
func isRegionalIndicator(r rune) bool { return r >= 0x1f1e6 && r <= 0x1f1ff }

// niceCut reports whether cutting text at byte offset at falls after a line
// break or the end of a sentence.
func niceCut(text string, at int) bool {
	if at == 0 {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(text[:at])
	switch prev {
	case '\n', '。', '！', '？', '；', '…':
		return true
	case '.', '!', '?', ';':
		if at == len(text) {
			return true
		}
		next, _ := utf8.DecodeRuneInString(text[at:])
		return unicode.IsSpace(next)
	}
	return false
}

// bracketSignature returns signature as the platform prints it in front of
// the text, brackets included, or "" for no signature.
func bracketSignature(signature string) string {
	s := strings.TrimSpace(signature)
	if s == "" {
		return ""
	}
	if (strings.HasPrefix(s, "【") && strings.HasSuffix(s, "】") && len(s) > len("【】")) ||
		(strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") && len(s) > len("[]")) {
		return s
	}
	for _, r := range s {
		if gsmSeptets(r) == 0 {
			return "【" + s + "】"
		}
	}
	return "[" + s + "]"
}

// segCounter accumulates both counts of a message as it is read, so that
// the encoding can be settled at the end.
type segCounter struct {
	septets int  // GSM-7 length, meaningful while !ucs2
	units   int  // UTF-16 length
	ucs2    bool // a character outside the GSM alphabet was seen
}

// addString counts every character of s.
func (c *segCounter) addString(s string) {
	for _, r := range s {
		c.addRune(r)
	}
}

// addRune counts one character. An invalid UTF-8 byte arrives here as
// utf8.RuneError, which is outside the GSM alphabet and one UTF-16 unit.
func (c *segCounter) addRune(r rune) {
	c.units += utf16Len(r)
	if n := gsmSeptets(r); n == 0 {
		c.ucs2 = true
	} else {
		c.septets += n
	}
}

// segments turns the counts into the billed size.
func (c segCounter) segments() Segments {
	if c.ucs2 {
		return Segments{Encoding: UCS2, Units: c.units, Parts: partsFor(c.units, ucs2Single, ucs2Part)}
	}
	return Segments{Encoding: GSM7, Units: c.septets, Parts: partsFor(c.septets, gsmSingle, gsmPart)}
}

// partsFor is the number of parts n units take with the given capacities.
func partsFor(n, single, part int) int {
	switch {
	case n == 0:
		return 0
	case n <= single:
		return 1
	default:
		return (n + part - 1) / part
	}
}

// utf16Len is the number of UTF-16 code units r is written with.
func utf16Len(r rune) int {
	if r > 0xffff && r <= unicode.MaxRune {
		return 2
	}
	return 1
}

// gsmSeptets is the number of septets r takes in the GSM 03.38 default
// alphabet: 1 for the basic set, 2 for the extension table (written as an
// escape plus a character), 0 when r cannot be written in GSM-7 at all.
func gsmSeptets(r rune) int {
	if r < 0x80 {
		return gsmASCII[r]
	}
	if strings.ContainsRune(gsmBasicNonASCII, r) {
		return 1
	}
	if r == '€' {
		return 2
	}
	return 0
}

// gsmBasicNonASCII lists the characters of the GSM basic set that are not
// ASCII: accented Latin letters, currency and other signs, and the Greek
// capitals that have no Latin look-alike.
const gsmBasicNonASCII = "£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà"

// gsmASCII gives, for every ASCII code, its septet count in GSM-7.
var gsmASCII = func() [0x80]int {
	var t [0x80]int
	for r := ' '; r <= '~'; r++ {
		t[r] = 1
	}
	t['\n'] = 1
	t['\r'] = 1
	// The grave accent has no place in either GSM table.
	t['`'] = 0
	// These are written through the extension table.
	for _, r := range "\f^{}\\[~]|" {
		t[r] = 2
	}
	return t
}()
