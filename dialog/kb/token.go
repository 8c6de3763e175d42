package kb

import (
	"unicode/utf8"

	"hotline/dialog/textnorm"
)

// token is one Chinese character or one stemmed Latin word (digits count
// as a word) of normalized text.
type token struct {
	r    rune   // the character of a Han token; 0 for a word
	word string // the stemmed word of a word token
	gap  bool   // a space or punctuation came before this token
	stop bool   // the token belongs to a stop phrase
}

func (t token) han() bool { return t.r != 0 }

// tokenize appends the tokens of s, which must be the output of
// textnorm.Normalize, to out.
func tokenize(s string, out []token) []token {
	gap := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == ' ':
			gap = true
		case textnorm.IsHan(r):
			out = append(out, token{r: r, gap: gap})
			gap = false
		default:
			end := wordEnd(s, i+n)
			out = append(out, token{word: stem(s[i:end]), gap: gap})
			gap = false
			n = end - i
		}
		i += n
	}
	return out
}

// wordEnd returns the offset where the word that continues at i ends.
func wordEnd(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == ' ' || textnorm.IsHan(r) {
			break
		}
		i += n
	}
	return i
}

// tokenizeText normalizes and tokenizes text into a new slice.
func tokenizeText(text string) []token {
	return tokenize(textnorm.Normalize(text), nil)
}
