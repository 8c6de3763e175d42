package sms

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrBadPhone is returned, wrapped with the reason, for a phone number
// that cannot be read as a valid E.164 number. Neither it nor the reason
// ever contains the number itself.
var ErrBadPhone = errors.New("sms: invalid phone number")

// chinaCode is the calling code of mainland China, the default country.
const chinaCode = "86"

// badPhone wraps ErrBadPhone with a reason that must not quote the input.
func badPhone(reason string) error {
	return fmt.Errorf("%w: %s", ErrBadPhone, reason)
}

// NormalizePhone reads a phone number as people and providers write it
// and returns it in E.164 form, such as +8613800138000.
//
// Surrounding white space is ignored, and so are spaces, dashes, dots and
// parentheses between the digits, in their ASCII and full-width forms;
// full-width digits and plus signs (＋８６ １３８…) are read as ASCII. The
// number may be:
//   - international, after a leading + or the 00 international prefix;
//   - a Chinese mobile number after 86 (with or without 00 or +);
//   - a national number, which gets defaultCountry, a calling code such
//     as "86" or "1" (empty means "86"). The domestic trunk prefix is
//     dropped first: a leading 0 in most countries, none for Italy (39),
//     whose numbers keep their 0, a leading 1 on an 11-digit number in
//     the North American plan (1) and a leading 8 on an 11-digit number
//     for Russia and Kazakhstan (7). Numbers from countries with other
//     rules are best given in international form.
//
// A +86 number must be a mainland mobile number: 11 digits, the first 1
// and the second 3 to 9. A number of any other country must have 8 to 15
// digits in all after the +, and its calling code cannot start with 0.
// Anything else, including letters, extensions and an empty string, is
// ErrBadPhone.
func NormalizePhone(raw, defaultCountry string) (string, error) {
	digits, plus, err := phoneDigits(strings.TrimSpace(raw))
	if err != nil {
		return "", err
	}
	if digits == "" {
		return "", badPhone("no digits")
	}

	var intl string // the number after the +
	switch {
	case plus:
		intl = digits
	case strings.HasPrefix(digits, "00"):
		intl = digits[2:]
	case len(digits) == 13 && strings.HasPrefix(digits, chinaCode) && isChineseMobile(digits[2:]):
		intl = digits
	default:
		cc, err := callingCode(defaultCountry)
		if err != nil {
			return "", err
		}
		intl = cc + dropTrunkPrefix(cc, digits)
	}

	if intl == "" {
		return "", badPhone("no digits after the international prefix")
	}
	if intl[0] == '0' {
		return "", badPhone("a calling code cannot start with 0")
	}
	if strings.HasPrefix(intl, chinaCode) {
		if !isChineseMobile(intl[len(chinaCode):]) {
			return "", badPhone("not a mainland China mobile number")
		}
		return "+" + intl, nil
	}
	switch {
	case len(intl) < 8:
		return "", badPhone("too few digits")
	case len(intl) > 15:
		return "", badPhone("too many digits")
	}
	return "+" + intl, nil
}

// phoneDigits extracts the ASCII digits of raw and whether it began with a
// plus sign, rejecting any character that is neither a digit nor a
// separator and a plus sign anywhere but in front.
func phoneDigits(raw string) (string, bool, error) {
	var b strings.Builder
	plus := false
	for _, r := range raw {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == '+' || r == '＋':
			if plus || b.Len() > 0 {
				return "", false, badPhone("a plus sign after the start")
			}
			plus = true
		case isPhoneSeparator(r):
		case r == utf8.RuneError:
			return "", false, badPhone("not valid UTF-8")
		default:
			return "", false, badPhone("a character that is not a digit")
		}
	}
	return b.String(), plus, nil
}

// isPhoneSeparator reports whether r is a character people put between the
// digits of a phone number.
func isPhoneSeparator(r rune) bool {
	switch r {
	case ' ', '\t', '\u00a0', '\u3000', // spaces
		'-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\uff0d', // dashes
		'.', '\uff0e', // dots
		'(', ')', '\uff08', '\uff09': // parentheses
		return true
	}
	return false
}

// dropTrunkPrefix removes the prefix dialled before a national number
// inside the country with calling code cc.
func dropTrunkPrefix(cc, national string) string {
	switch cc {
	case "39":
		return national
	case "1":
		if len(national) == 11 && national[0] == '1' {
			return national[1:]
		}
		return national
	case "7":
		if len(national) == 11 && national[0] == '8' {
			return national[1:]
		}
		return national
	}
	return strings.TrimPrefix(national, "0")
}

// callingCode checks and returns the default country's calling code.
func callingCode(defaultCountry string) (string, error) {
	cc := strings.TrimPrefix(strings.TrimSpace(defaultCountry), "+")
	if cc == "" {
		return chinaCode, nil
	}
	if len(cc) > 3 || cc[0] == '0' || !allDigits(cc) {
		return "", badPhone("the default country is not a calling code")
	}
	return cc, nil
}

// isChineseMobile reports whether national is a mainland China mobile
// number: 11 digits, starting with 1 and then 3 to 9.
func isChineseMobile(national string) bool {
	return len(national) == 11 && allDigits(national) &&
		national[0] == '1' && national[1] >= '3' && national[1] <= '9'
}

// allDigits reports whether s is made of ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MaskPhone hides most of a phone number for logs. An E.164 number keeps
// its plus sign and calling code and the last 4 digits: +86138****8000 for
// +8613800138000. The first 3 digits after the calling code are shown too
// when at least 4 digits remain hidden (a national number of 11 digits or
// more), and a national number shorter than 8 digits shows only its last 2
// (+CC****12). Anything that is not an E.164 number becomes **** followed
// by at most its last 2 characters, shown only when it has 6 or more. The
// result never holds the whole number.
func MaskPhone(s string) string {
	if cc, national, ok := splitE164(s); ok {
		n := len(national)
		switch {
		case n >= 11:
			return "+" + cc + national[:3] + "****" + national[n-4:]
		case n >= 8:
			return "+" + cc + "****" + national[n-4:]
		default:
			return "+" + cc + "****" + national[n-2:]
		}
	}
	runes := []rune(s)
	if len(runes) >= 6 {
		return "****" + string(runes[len(runes)-2:])
	}
	return "****"
}

// splitE164 splits an E.164 number (+ and 8 to 15 digits) into its calling
// code and national number.
func splitE164(s string) (cc, national string, ok bool) {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || !allDigits(s[1:]) || s[1] == '0' {
		return "", "", false
	}
	d := s[1:]
	n := callingCodeLen(d)
	return d[:n], d[n:], true
}

// callingCodeLen is the length of the ITU calling code that digits starts
// with. Codes are prefix-free: 1 and 7 are the only one-digit codes, the
// listed two-digit ones are the only two-digit codes, and every other code
// has three digits.
func callingCodeLen(digits string) int {
	if digits[0] == '1' || digits[0] == '7' {
		return 1
	}
	switch digits[:2] {
	case "20", "27",
		"30", "31", "32", "33", "34", "36", "39",
		"40", "41", "43", "44", "45", "46", "47", "48", "49",
		"51", "52", "53", "54", "55", "56", "57", "58",
		"60", "61", "62", "63", "64", "65", "66",
		"81", "82", "84", "86",
		"90", "91", "92", "93", "94", "95", "98":
		return 2
	}
	return 3
}
