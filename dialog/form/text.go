package form

import (
	"fmt"
	"strings"
)

// Languages of the bot's texts. Chinese is required everywhere and is the
// fallback; English is checked by Lint.
const (
	LangZh = "zh"
	LangEn = "en"
)

// Text is one text in several languages, keyed by language code.
type Text map[string]string

// In returns the text in lang, falling back to Chinese.
func (t Text) In(lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	return t[LangZh]
}

// check reports a text whose Chinese version is missing, or that names a
// language but leaves it empty. what says which text it is.
func (t Text) check(what string) error {
	if strings.TrimSpace(t[LangZh]) == "" {
		return fmt.Errorf("%s: the Chinese text (zh) is missing", what)
	}
	for lang, s := range t {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("%s: the %q text is empty", what, lang)
		}
	}
	return nil
}

// namedText is a text with the place it was read from, for Lint.
type namedText struct {
	where string
	text  Text
}
