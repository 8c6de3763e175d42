package channels

import "strings"

// CleanText makes a subscriber's text fit to store: bytes that are not
// UTF-8 become U+FFFD and NUL characters are removed. Databases refuse
// both in text columns (PostgreSQL does), and a message refused by the
// store is answered as a temporary failure, which a provider sends again
// for ever. Channels whose wire format can carry either call it.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return s
}
