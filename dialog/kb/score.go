package kb

import (
	"cmp"
	"slices"
)

// Scoring constants.
const (
	// phraseShare is the share of the best phrasing's similarity in an
	// entry's score; the rest is how much of the message the entry covers.
	phraseShare = 0.6
	// contextAllowance is how many times its own weight of message a
	// phrasing is expected to explain.
	contextAllowance = 2.5
	// minQueryWeight is the least weight a message is measured against,
	// about that of one distinctive two-character word.
	minQueryWeight = 3.0
	// coverageShare is the share of how much of the message's content an
	// entry explains (see coverage) in the final score of the closest
	// entries.
	coverageShare = 0.3
)

// accumulate adds each query term to the units and entries that have it.
func (b *Base) accumulate(s *scratch) {
	x := b.idx
	for _, q := range s.query {
		for _, p := range x.unitPost[x.unitStart[q.term]:x.unitStart[q.term+1]] {
			if s.unitCov[p.unit] == 0 {
				s.units = append(s.units, p.unit)
			}
			s.unitHit[p.unit] += q.w
			s.unitCov[p.unit] += p.w
		}
		for _, p := range x.entPost[x.entStart[q.term]:x.entStart[q.term+1]] {
			if s.entHit[p.entry] == 0 {
				s.entries = append(s.entries, p.entry)
			}
			s.entHit[p.entry] += q.w * p.f
		}
	}
}

// rank scores the touched entries, re-ranks the closest by what tells
// them apart and by how much of the message each explains (coverage), and
// returns the best, best first.
func (b *Base) rank(s *scratch, total float32) []scored {
	x := b.idx
	for _, u := range s.units {
		e := x.unitEntry[u]
		q := s.unitHit[u] / queryNorm(total, x.unitNorm[u])
		s.entBest[e] = max(s.entBest[e], similarity(q, s.unitCov[u]/x.unitNorm[u]))
	}

	top := s.topSlots[:0]
	limit := min(max(b.opts.MaxCandidates, 1), maxTop)
	for _, e := range s.entries {
		cover := min(s.entHit[e]/queryNorm(total, x.entNorm[e]), 1)
		score := phraseShare*s.entBest[e] + (1-phraseShare)*cover
		top = insertTop(top, scored{entry: e, score: score}, max(limit, rerankPool))
	}
	top = b.rerank(s, top, total)
	b.prepareCoverage(s)
	for i := range top {
		top[i].cover = b.coverage(s, top[i].entry)
		top[i].score = (1-coverageShare)*top[i].score + coverageShare*top[i].cover
	}
	slices.SortStableFunc(top, func(a, c scored) int { return cmp.Compare(c.score, a.score) })
	return top[:min(len(top), limit)]
}

// queryNorm is the share of the message's weight that a unit (or entry) of
// weight norm is expected to explain. A long message that tells a story
// around its question is not held against the question: the denominator
// is capped at contextAllowance times the unit's own weight. A message of
// very little weight (在吗) is measured against minQueryWeight so that one
// shared character does not make a match.
func queryNorm(total, norm float32) float32 {
	return max(min(total, contextAllowance*norm), minQueryWeight)
}

// similarity combines how much of the message a phrasing covers with how
// much of the phrasing the message covers (their harmonic mean).
func similarity(query, unit float32) float32 {
	query, unit = min(query, 1), min(unit, 1)
	if query+unit == 0 {
		return 0
	}
	return 2 * query * unit / (query + unit)
}

// insertTop keeps top sorted by score, best first, at most limit long.
// Ties go to the entry earlier in the file.
func insertTop(top []scored, c scored, limit int) []scored {
	i := len(top)
	for i > 0 && (c.score > top[i-1].score || c.score == top[i-1].score && c.entry < top[i-1].entry) {
		i--
	}
	if i >= limit {
		return top
	}
	if len(top) < limit {
		top = append(top, scored{})
	}
	copy(top[i+1:], top[i:])
	top[i] = c
	return top
}
