package kb

import (
	"cmp"
	"slices"
)

// Coverage constants.
const (
	// unigramExplains is how much a character matched only on its own
	// (no bigram around it is in the entry) counts as explained.
	unigramExplains = 0.5
	// numberWeight is the informative weight of a number the base does not
	// know (an amount, a date): it says little about what is asked.
	numberWeight = 0.5
	// novelWeight multiplies the weight of a character or word that no
	// entry has: a message whose subject the base has never seen (a
	// canteen, the meaning of life) is not answered by the entry that
	// shares its question frame.
	novelWeight = 2.0
	// chatterClause is how much a clause in which the entry explains
	// nothing counts: the scene around a question (who, when, where) is
	// not held against it as much, but not wholly dropped either: in a
	// message of two clauses the other one may be the real subject.
	chatterClause = 0.5
)

// tokenTerm is what one token of the message contributes to coverage.
type tokenTerm struct {
	uni, bi   int32   // term of the token (unigram or word), of the bigram it starts; -1 if none
	uniF, biF float32 // 1 for an exact find, fuzzyFactor for a correction
	w         float32 // informative weight; 0 for stop tokens
	clause    int32   // clause index: punctuation or a space between two Chinese characters parts clauses
	han       bool
}

// prepareCoverage looks up the terms of every token of the message (after
// the lexicon) once, for coverage to test against several entries.
func (b *Base) prepareCoverage(s *scratch) {
	x := b.idx
	s.tokTerms = s.tokTerms[:0]
	clause := int32(0)
	for i, t := range s.lexed {
		tt := tokenTerm{uni: -1, bi: -1, han: t.han()}
		if i > 0 && t.gap && t.han() && s.lexed[i-1].han() {
			clause++
		}
		tt.clause = clause
		if !t.stop {
			var f feature
			if t.han() {
				f = feature{key: unigramKey(t.r), w: unigramWeight}
			} else {
				f = feature{word: t.word, w: wordWeight}
			}
			tt.uni, tt.uniF = x.lookup(f, b.opts.Typos)
			tt.w = x.informative(t, tt.uni)
		}
		if t.han() && i+1 < len(s.lexed) && s.lexed[i+1].han() && !s.lexed[i+1].gap &&
			!(t.stop && s.lexed[i+1].stop) {
			n := s.lexed[i+1]
			tt.bi, tt.biF = x.lookup(feature{key: bigramKey(t.r, n.r), w: pairWeight(t.stop, n.stop)}, b.opts.Typos)
		}
		s.tokTerms = append(s.tokTerms, tt)
	}
}

// informative is the weight of a non-stop token in the coverage of a
// message: the idf of the character or word, twice the most for one the
// base does not know, little for an unknown number.
func (x *index) informative(t token, term int32) float32 {
	if term >= 0 {
		return x.idf[term]
	}
	if !t.han() && isNumber(t.word) {
		return numberWeight
	}
	return novelWeight * x.unknownIDF
}

func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if (w[i] < '0' || w[i] > '9') && w[i] != '.' {
			return false
		}
	}
	return w != ""
}

// factor returns how strongly entry e has term t: 1 in a phrasing,
// tagFactor or answerFactor elsewhere, 0 when it lacks it.
func (x *index) factor(t, e int32) float32 {
	if t < 0 {
		return 0
	}
	posts := x.entPost[x.entStart[t]:x.entStart[t+1]]
	j, found := slices.BinarySearchFunc(posts, e, func(p entryPosting, e int32) int {
		return cmp.Compare(p.entry, e)
	})
	if !found {
		return 0
	}
	return posts[j].f
}

// coverage is the share of the message's informative content that entry e
// explains: each content character or word counts with its idf, and is
// explained when a bigram it is part of, or the word itself, is in the
// entry. Clauses in which the entry explains nothing count half
// (chatterClause), so the chatter around a question (who, when, where)
// dilutes it less; a
// message whose content the entry leaves mostly unexplained (its subject
// is not in the entry) gets a low coverage.
func (b *Base) coverage(s *scratch, e int32) float32 {
	x := b.idx
	var num, den, cNum, cDen float32
	relevant := false
	cur := int32(-1)
	flush := func() {
		if relevant {
			num, den = num+cNum, den+cDen
		} else {
			den += chatterClause * cDen
		}
	}
	for i, tt := range s.tokTerms {
		if tt.clause != cur {
			flush()
			cNum, cDen, relevant, cur = 0, 0, false, tt.clause
		}
		var ex float32
		if i > 0 && s.tokTerms[i-1].bi >= 0 {
			if f := x.factor(s.tokTerms[i-1].bi, e) * s.tokTerms[i-1].biF; f > 0 {
				ex, relevant = max(ex, f), true
			}
		}
		if tt.bi >= 0 {
			if f := x.factor(tt.bi, e) * tt.biF; f > 0 {
				ex, relevant = max(ex, f), true
			}
		}
		if tt.w == 0 {
			continue
		}
		if tt.uni >= 0 {
			f := x.factor(tt.uni, e) * tt.uniF
			if tt.han {
				f *= unigramExplains
			} else if f > 0 {
				relevant = true
			}
			ex = max(ex, f)
		}
		cNum += ex * tt.w
		cDen += tt.w
	}
	flush()
	if den == 0 {
		return 0
	}
	return min(num/den, 1)
}
