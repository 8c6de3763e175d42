package kb

import (
	"fmt"
	"unicode/utf8"

	"hotline/dialog/textnorm"
)

// Lint limits.
const (
	// minAnswerRunes is the shortest answer that lint does not report.
	minAnswerRunes = 10
	// confusableScore is the score another entry may reach on one of an
	// entry's own phrasings before the two count as too close: a subscriber
	// wording the question a little differently would land on either.
	confusableScore = 0.6
)

// Problem is something in the knowledge base a maintainer should fix.
type Problem struct {
	// EntryID is the entry the problem is about.
	EntryID string
	// Message says what is wrong.
	Message string
}

// Lint reports problems Parse does not reject: empty or very short
// answers, phrasings used by more than one entry, and phrasings the
// matcher does not answer with their own entry because another entry is
// as close (pairs of entries the matcher confuses). Problems come in entry
// order.
func Lint(b *Base) []Problem {
	var out []Problem
	owners := map[string]string{} // normalized phrasing -> first entry id
	for _, e := range b.entries {
		out = append(out, lintAnswer(e)...)
		for _, p := range e.phrasings() {
			n := textnorm.Normalize(p)
			if first, ok := owners[n]; ok && first != e.ID {
				out = append(out, Problem{e.ID, fmt.Sprintf("%q is also a phrasing of %s", p, first)})
				continue
			}
			owners[n] = e.ID
			if msg := b.lintPhrasing(e, p); msg != "" {
				out = append(out, Problem{e.ID, msg})
			}
		}
	}
	return out
}

func lintAnswer(e *Entry) []Problem {
	if n := utf8.RuneCountInString(e.Answer); n < minAnswerRunes {
		return []Problem{{e.ID, fmt.Sprintf("answer is very short (%d characters)", n)}}
	}
	return nil
}

// lintPhrasing matches one phrasing of e and describes the confusion, or
// returns "" when the phrasing clearly answers with e.
func (b *Base) lintPhrasing(e *Entry, p string) string {
	res := b.Match(p)
	top, ok := res.Top()
	switch {
	case !ok || res.Verdict == Unknown:
		return fmt.Sprintf("%q matches nothing", p)
	case top.Entry != e:
		return fmt.Sprintf("%q matches %s better (%.2f) than its own entry", p, top.Entry.ID, top.Score)
	case len(res.Candidates) > 1 && res.Candidates[1].Score >= confusableScore:
		c := res.Candidates[1]
		return fmt.Sprintf("%q is too close to %s to tell apart (%.2f vs %.2f)",
			p, c.Entry.ID, top.Score, c.Score)
	case res.Verdict != Answer:
		return fmt.Sprintf("%q scores only %.2f against its own entry", p, top.Score)
	}
	return ""
}
