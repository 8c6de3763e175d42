package kb

import (
	"strings"
	"unicode/utf8"

	"hotline/dialog/textnorm"
)

// maxClauses bounds the clauses of a message matched on their own, so
// that a very long message costs a bounded number of matches.
const maxClauses = 8

// questionCues mark a clause that asks something: question words and
// particles. The other clauses of a message tell the story around it.
var questionCues = []string{
	"吗", "呢", "怎么", "什么", "怎样", "如何", "哪", "几", "多少", "多久", "能不能", "可不可以",
	"是不是", "有没有", "会不会", "要不要", "为什么", "请问", "想问", "想知道", "咨询",
}

// matchClauses answers a long message from the clause that asks its
// question: each clause with a question cue is matched on its own, and
// together with the clause before it, which often names the subject.
// Subscribers often put their question in one clause of a story (我下个月
// 要搬家了, 宽带能跟着搬过去吗), where the story dilutes the whole
// message's score. The parts confirm the whole message's first candidate,
// which must lead the second by half the answer margin (they confirm a
// lead, they do not break a tie): they answer only when every part that
// is answered names that entry; otherwise ok is false and full stands.
func (b *Base) matchClauses(text string, full Result) (res Result, ok bool) {
	if !b.leadsHalf(full) {
		return Result{}, false
	}
	parts := clauses(textnorm.Normalize(text))
	if len(parts) < 2 || len(parts) > maxClauses {
		return Result{}, false
	}
	try := func(part string) bool {
		r := b.matchText(part)
		if r.Verdict != Answer {
			return true
		}
		id := r.Candidates[0].Entry.ID
		if top, found := full.Top(); !found || top.Entry.ID != id {
			return false
		}
		res, ok = r, true
		return true
	}
	for i, p := range parts {
		if !asks(p) {
			continue
		}
		// With two clauses, a clause and the one before it are the
		// whole message, already matched.
		if !try(p) || i > 0 && len(parts) > 2 && !try(parts[i-1]+" "+p) {
			return Result{}, false
		}
	}
	return res, ok
}

// leadsHalf reports whether r's first candidate leads the second by at
// least half of Options.AnswerMargin.
func (b *Base) leadsHalf(r Result) bool {
	switch len(r.Candidates) {
	case 0:
		return false
	case 1:
		return true
	}
	return r.Candidates[0].Score-r.Candidates[1].Score >= b.opts.AnswerMargin/2
}

// asks reports whether the clause has a question cue.
func asks(clause string) bool {
	for _, c := range questionCues {
		if strings.Contains(clause, c) {
			return true
		}
	}
	return false
}

// clauses splits normalized text at the spaces that stand between two
// Chinese characters: the punctuation of a Chinese sentence. English
// words, which spaces also separate, stay in their clause.
func clauses(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' || !hanAround(s, i) {
			continue
		}
		out = append(out, s[start:i])
		start = i + 1
	}
	return append(out, s[start:])
}

// hanAround reports whether the space at s[i] has a Chinese character on
// both sides.
func hanAround(s string, i int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i+1:])
	return textnorm.IsHan(before) && textnorm.IsHan(after)
}
