package form

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"hotline/dialog/textnorm"
)

// format is a named pattern for numbers and accounts, such as a mobile
// number or a broadband account. Answers are compared in compact form:
// full-width characters folded, letters in lower case, spoken digits as
// digits, and digit groups written with spaces, dashes or brackets joined.
type format struct {
	pattern     *regexp.Regexp
	dropPrefix  []string
	description Text
}

// newFormat compiles a format; the pattern must match the whole value.
func newFormat(name string, spec formatSpec) (*format, error) {
	if strings.TrimSpace(spec.Pattern) == "" {
		return nil, fmt.Errorf("format %s: pattern is empty", name)
	}
	re, err := regexp.Compile(`^(?:` + spec.Pattern + `)$`)
	if err != nil {
		return nil, fmt.Errorf("format %s: pattern: %w", name, err)
	}
	if err := spec.Description.check("format " + name + ": description"); err != nil {
		return nil, err
	}
	return &format{pattern: re, dropPrefix: spec.DropPrefix, description: spec.Description}, nil
}

// match returns the value in compact form when it fits the format, trying
// it as is and then without each of the format's droppable prefixes (86
// before a mobile number).
func (f *format) match(candidate string) (string, bool) {
	if f.pattern.MatchString(candidate) {
		return candidate, true
	}
	for _, p := range f.dropPrefix {
		if rest, ok := strings.CutPrefix(candidate, p); ok && f.pattern.MatchString(rest) {
			return rest, true
		}
	}
	return "", false
}

// findFormat returns the first candidate in text that fits one of formats,
// in compact form.
func findFormat(formats []*format, text string) (string, bool) {
	for _, c := range candidates(text) {
		for _, f := range formats {
			if v, ok := f.match(c); ok {
				return v, true
			}
		}
	}
	return "", false
}

// maxCandidateInput bounds the text searched for numbers; an answer longer
// than this is not a number.
const maxCandidateInput = 1000

// candidates lists the tokens of text that may be a number or an account:
// each run of digit groups separated only by spaces or punctuation, joined
// (010-1234 5678 is 01012345678), then each ASCII word on its own.
func candidates(text string) []string {
	if len(text) > maxCandidateInput {
		return nil
	}
	norm := textnorm.Normalize(text)

	var joined, single []string
	var group strings.Builder
	for _, tok := range tokens(norm) {
		if tok.text != "" {
			single = append(single, tok.text)
		}
		if tok.digits && !tok.afterOther {
			group.WriteString(tok.text)
			continue
		}
		joined = appendGroup(joined, &group)
		if tok.digits {
			group.WriteString(tok.text)
		}
	}
	joined = appendGroup(joined, &group)
	return append(joined, single...)
}

func appendGroup(out []string, b *strings.Builder) []string {
	if b.Len() > 0 {
		out = append(out, b.String())
		b.Reset()
	}
	return out
}

// token is one run of ASCII letters and digits in normalised text.
type token struct {
	text       string
	digits     bool // the token is digits only
	afterOther bool // something other than spaces separates it from the last token
}

// tokens splits normalised text into ASCII word tokens. A Chinese character
// or a letter token between two digit tokens keeps them apart.
func tokens(norm string) []token {
	var out []token
	other := false
	for i := 0; i < len(norm); {
		c := norm[i]
		if isWordByte(c) && c != '\'' {
			j := i
			for j < len(norm) && isWordByte(norm[j]) && norm[j] != '\'' {
				j++
			}
			tok := norm[i:j]
			out = append(out, token{text: tok, digits: allDigits(tok), afterOther: other})
			other = false
			i = j
			continue
		}
		if c != ' ' {
			other = true
		}
		_, n := utf8.DecodeRuneInString(norm[i:])
		i += n
	}
	return markLetters(out)
}

// markLetters makes a digit token that follows a letter token start a new
// group, so "abc 123" does not join across the word.
func markLetters(ts []token) []token {
	for i := 1; i < len(ts); i++ {
		if !ts[i-1].digits {
			ts[i].afterOther = true
		}
	}
	return ts
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
