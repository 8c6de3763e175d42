package sms

import (
	"fmt"
	"strings"
	"unicode"

	"hotline/channels"
)

// render is a message as an SMS: quick replies become numbered short
// codes ("回复1 报障，2 查询"), which the channel maps back when the
// subscriber answers with the number; links are written out.
func render(m channels.Outbound) string {
	var b strings.Builder
	b.WriteString(m.Text)
	if len(m.QuickReplies) > 0 && selfNumbered(m.QuickReplies) {
		// Answers that are numbers already (a 1-5 rating) are offered as
		// they are: numbering them again would make "1" mean two things.
		labels := make([]string, 0, len(m.QuickReplies))
		for _, q := range m.QuickReplies {
			labels = append(labels, q.Label)
		}
		b.WriteString("\n")
		b.WriteString(strings.Join(labels, " / "))
	} else if len(m.QuickReplies) > 0 {
		zh := chinese(m.Text)
		b.WriteString("\n")
		for i, q := range m.QuickReplies {
			switch {
			case i == 0 && zh:
				b.WriteString("回复")
			case i == 0:
				b.WriteString("Reply ")
			case zh:
				b.WriteString("，")
			default:
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%d %s", i+1, q.Label)
		}
	}
	for _, l := range m.Links {
		b.WriteString("\n")
		b.WriteString(l.Title)
		b.WriteString(" ")
		b.WriteString(l.URL)
	}
	return b.String()
}

// selfNumbered reports whether every quick reply's label starts with its
// own number, so the subscriber answers with that number.
func selfNumbered(replies []channels.QuickReply) bool {
	for _, q := range replies {
		if q.Label == "" || q.Label[0] < '0' || q.Label[0] > '9' {
			return false
		}
	}
	return true
}

// chinese reports whether a text has a Chinese character.
func chinese(text string) bool {
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
