package sms

import (
	"strconv"
	"strings"
	"unicode"
)

// Keyword is what an inbound message asks of the subscription when the
// whole message is one of the recognised keywords.
type Keyword int

// The keywords an inbound message can be.
const (
	// NoKeyword is an ordinary message.
	NoKeyword Keyword = iota
	// OptOut asks to receive no more messages from the number.
	OptOut
	// OptIn asks to receive messages again after an opt-out.
	OptIn
	// Help asks what the number is and how to opt out.
	Help
)

// String returns the keyword's name: none, opt-out, opt-in or help.
func (k Keyword) String() string {
	switch k {
	case NoKeyword:
		return "none"
	case OptOut:
		return "opt-out"
	case OptIn:
		return "opt-in"
	case Help:
		return "help"
	}
	return "Keyword(" + strconv.Itoa(int(k)) + ")"
}

// keywordTable maps each normalized keyword to what it asks.
var keywordTable = map[string]Keyword{
	// The Chinese carriers' unsubscribe replies.
	"T": OptOut, "TD": OptOut, "N": OptOut, "R": OptOut,
	"退订": OptOut, "退订短信": OptOut, "取消订阅": OptOut, "取消": OptOut,
	"退訂": OptOut, "退訂短信": OptOut, "取消訂閱": OptOut,
	// The opt-out words of US and international SMS.
	"STOP": OptOut, "STOPALL": OptOut, "UNSUBSCRIBE": OptOut, "CANCEL": OptOut,
	"END": OptOut, "QUIT": OptOut, "REVOKE": OptOut, "OPTOUT": OptOut,

	"START": OptIn, "UNSTOP": OptIn, "YES": OptIn,
	"订阅": OptIn, "訂閱": OptIn, "恢复": OptIn, "恢復": OptIn,

	"HELP": Help, "INFO": Help,
	"帮助": Help, "幫助": Help,
}

// ClassifyKeyword reports which keyword text is, or NoKeyword.
//
// Only the whole message counts: it is trimmed of white space and of
// trailing punctuation (ASCII and full-width, such as 。！!.，,?？~),
// invisible format characters such as zero-width spaces are dropped,
// full-width letters and digits are read as ASCII and letters compared
// without case. The result must then equal one of:
//   - opt-out: T, TD, N, R, 退订, 退订短信, 取消订阅, 取消, STOP, STOPALL,
//     UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT;
//   - opt-in: START, UNSTOP, YES, 订阅, 恢复;
//   - help: HELP, INFO, 帮助.
//
// The Chinese words are also recognised in traditional characters (退訂,
// 取消訂閱, 訂閱, 恢復, 幫助). A message that merely contains a keyword, such
// as "我想退订套餐怎么办" or "STOP calling me please", is NoKeyword.
//
// T, TD, N and R are the replies Chinese carriers and SMS platforms print
// in marketing messages ("回T退订", "拒收请回复R"), so they must opt out,
// and they are kept as opt-out even though they are single letters: a
// subscriber who answers a question with a bare "N" for "no" is read as
// opting out. Conversations that ask yes/no questions should ask for a
// word that is not a keyword (such as 否) rather than N.
func ClassifyKeyword(text string) Keyword {
	return keywordTable[normalizeKeyword(text)]
}

// normalizeKeyword folds full-width forms to ASCII, upper-cases ASCII
// letters and strips surrounding white space and trailing punctuation.
func normalizeKeyword(text string) string {
	folded := strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '！' && r <= '～':
			r -= '！' - '!'
		case unicode.Is(unicode.Cf, r):
			// Zero-width spaces and byte-order marks some phones add.
			return -1
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		return r
	}, text)
	return strings.TrimRightFunc(strings.TrimSpace(folded), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || r == '~'
	})
}
