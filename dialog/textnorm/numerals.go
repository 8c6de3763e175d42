package textnorm

import "unicode/utf8"

// minSpokenDigits is the shortest run of spoken digits read as a number.
// Shorter runs (一一, 二三) are usually ordinary words.
const minSpokenDigits = 3

// spokenNumber reads a run of Chinese digit characters at the start of s,
// as subscribers type phone numbers digit by digit (幺二三零零 is 12300).
// It returns the ASCII digits and the byte length of the run, or 0 when s
// does not start with a run of at least minSpokenDigits digits.
func spokenNumber(s string) (string, int) {
	var buf [32]byte
	n, size := 0, 0
	for size < len(s) && n < len(buf) {
		r, w := utf8.DecodeRuneInString(s[size:])
		d, ok := spokenDigit(r)
		if !ok {
			break
		}
		buf[n] = d
		n++
		size += w
	}
	if n < minSpokenDigits {
		return "", 0
	}
	return string(buf[:n]), size
}

// spokenDigit returns the ASCII digit that r reads as. 幺 is how 1 is read
// out in phone numbers; 两 is left out because 两三天 means "a few days".
func spokenDigit(r rune) (byte, bool) {
	switch r {
	case '零', '〇':
		return '0', true
	case '一', '幺':
		return '1', true
	case '二':
		return '2', true
	case '三':
		return '3', true
	case '四':
		return '4', true
	case '五':
		return '5', true
	case '六':
		return '6', true
	case '七':
		return '7', true
	case '八':
		return '8', true
	case '九':
		return '9', true
	}
	return 0, false
}
