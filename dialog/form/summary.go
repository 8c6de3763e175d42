package form

import (
	"strings"
	"unicode/utf8"
)

// Summary renders the answers for the confirm step: the flow's title, then
// one line per answered slot with its label and value, choices shown by
// their labels. With mask, sensitive values are partly hidden (phone
// numbers as 138****5678), for summaries shown to agents or written to
// logs. Skipped slots are left out.
func (f *Flow) Summary(p Progress, lang string, mask bool) string {
	sep := "："
	if lang == LangEn {
		sep = ": "
	}
	var b strings.Builder
	b.WriteString(f.Title.In(lang))
	for _, s := range f.Slots {
		v := p.Answers[s.Name]
		if v == "" {
			continue
		}
		b.WriteString("\n")
		b.WriteString(s.Label.In(lang))
		b.WriteString(sep)
		b.WriteString(s.display(v, lang, mask))
	}
	return b.String()
}

// display is how an answer reads in a summary.
func (s *Slot) display(v, lang string, mask bool) string {
	if o, ok := findOption(s.options, v); ok {
		v = o.label.In(lang)
	}
	switch {
	case !mask || !s.Sensitive:
		return v
	case s.kind == typeFormat:
		return maskNumber(v)
	}
	return maskText(v)
}

// maskNumber hides the middle of a number or account: the first three and
// last four characters stay when there are at least seven.
func maskNumber(v string) string {
	r := []rune(v)
	switch {
	case len(r) >= 7:
		return string(r[:3]) + "****" + string(r[len(r)-4:])
	case len(r) >= 3:
		return string(r[:1]) + "****"
	}
	return "****"
}

// maskText keeps the start of a text, up to a third of it and at most six
// characters, enough for an agent to see the district of an address.
func maskText(v string) string {
	n := min(utf8.RuneCountInString(v)/3, 6)
	r := []rune(v)
	return string(r[:n]) + "***"
}
