package wechat

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"hotline/channels"
)

// maxTextBytes is the most UTF-8 bytes of one text message: WeChat
// documents no limit, the community finds about 2,048, and this keeps a
// margin. Longer texts are split on character boundaries.
const maxTextBytes = 2000

// maxPassiveBytes is the most a passive reply carries; it is one message.
const maxPassiveBytes = maxTextBytes

// render is a message as WeChat shows it: WeChat text has no buttons, so
// quick replies become a line of the answers the follower can type, and
// links are written out.
func render(m channels.Outbound) string {
	var b strings.Builder
	b.WriteString(m.Text)
	if len(m.QuickReplies) > 0 {
		labels := make([]string, 0, len(m.QuickReplies))
		for _, q := range m.QuickReplies {
			labels = append(labels, q.Label)
		}
		b.WriteString("\n\n")
		b.WriteString(hintFor(m.Text))
		b.WriteString(strings.Join(labels, " / "))
	}
	for _, l := range m.Links {
		b.WriteString("\n")
		b.WriteString(l.Title)
		b.WriteString(" ")
		b.WriteString(l.URL)
	}
	return b.String()
}

// hintFor leads the list of answers the follower can type, in Chinese
// unless the message is in English (has no Chinese character).
func hintFor(text string) string {
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			return "可回复："
		}
	}
	return "Reply with: "
}

// join puts several replies in one passive reply.
func join(texts []string) string { return strings.Join(texts, "\n\n") }

// split cuts a text into parts of at most max bytes, never inside a
// character, preferring to cut after a line break.
func split(text string, max int) []string {
	var parts []string
	for len(text) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		if nl := strings.LastIndexByte(text[:cut], '\n'); nl > max/2 {
			cut = nl + 1
		}
		parts = append(parts, text[:cut])
		text = text[cut:]
	}
	if text != "" || len(parts) == 0 {
		parts = append(parts, text)
	}
	return parts
}
