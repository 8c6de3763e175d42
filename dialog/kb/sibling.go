package kb

import (
	"cmp"
	"slices"
)

// Sibling constants.
const (
	// maxSiblings is how many closest entries count as an entry's siblings.
	maxSiblings = 3
	// siblingOverlap is the least share of the smaller entry's phrasing
	// weight two entries must share to be siblings.
	siblingOverlap = 0.15
	// maxSiblingDF skips terms in more entries than this when looking for
	// siblings: they are shared too widely to make two entries alike, and
	// skipping them keeps building a large base fast.
	maxSiblingDF = 40
	// siblingShare weighs the words of the message that distinguish one
	// of an entry's siblings from it.
	siblingShare = 0.15
)

// siblings finds for each entry the entries whose phrasings share most of
// their words with its own (balance and data left, a lost phone and a new
// SIM), and the distinguishing terms of each entry: the words and bigrams
// of its phrasings that none of its siblings' phrasings have.
func (x *index) siblings(ents []map[int32]float32) {
	n := len(ents)
	phr := make([][]int32, n) // entry -> sorted phrasing terms (bigrams and words)
	self := make([]float32, n)
	x.pdf = make([]int32, len(x.word))
	for e, ent := range ents {
		for t, f := range ent {
			if f >= tagFactor {
				x.pdf[t]++
			}
			if f == 1 && !x.uni[t] {
				phr[e] = append(phr[e], t)
				self[e] += x.idf[t]
			}
		}
		slices.Sort(phr[e])
	}
	x.sibs = make([][]int32, n)
	x.distinct = make([][]int32, n)
	shared := make([]float32, n)
	var touched []int32
	for e := range n {
		touched = touched[:0]
		for _, t := range phr[e] {
			posts := x.entPost[x.entStart[t]:x.entStart[t+1]]
			if len(posts) > maxSiblingDF {
				continue
			}
			for _, p := range posts {
				if p.entry == int32(e) || p.f != 1 {
					continue
				}
				if shared[p.entry] == 0 {
					touched = append(touched, p.entry)
				}
				shared[p.entry] += x.idf[t]
			}
		}
		slices.SortFunc(touched, func(a, b int32) int {
			if c := cmp.Compare(shared[b], shared[a]); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		for _, s := range touched {
			if len(x.sibs[e]) < maxSiblings && shared[s] >= siblingOverlap*min(self[e], self[s]) {
				x.sibs[e] = append(x.sibs[e], s)
			}
		}
		for _, s := range touched {
			shared[s] = 0
		}
	}
	for e := range n {
		for _, t := range phr[e] {
			mine := true
			for _, s := range x.sibs[e] {
				if _, found := slices.BinarySearch(phr[s], t); found {
					mine = false
					break
				}
			}
			if mine {
				x.distinct[e] = append(x.distinct[e], t)
			}
		}
	}
}

// hasDistinct reports whether t distinguishes entry e from its siblings.
func (x *index) hasDistinct(e, t int32) bool {
	_, found := slices.BinarySearch(x.distinct[e], t)
	return found
}

// siblingPenalty is the weight of the message's terms that distinguish
// one of entry e's siblings from e, as a share of the message: a message
// about repair times (多久) lowers how to report a repair, and the
// sibling's own score carries it up instead. Terms e shares with the
// message are already in its score.
func (b *Base) siblingPenalty(s *scratch, e int32, total float32) float32 {
	x := b.idx
	var rival float32
	for _, q := range s.query {
		if x.hasDistinct(e, q.term) {
			continue
		}
		for _, sib := range x.sibs[e] {
			if x.hasDistinct(sib, q.term) {
				rival += q.w
				break
			}
		}
	}
	return siblingShare * min(rival/queryNorm(total, x.entNorm[e]), 1)
}
