package kb

import (
	"cmp"
	"slices"
)

// Re-ranking constants.
const (
	// rerankShare weighs the part of the message that only one of the
	// closest entries explains.
	rerankShare = 0.15
	// rerankPool is how many of the best entries are re-ranked.
	rerankPool = 5
)

// rerank adds to each of the closest entries the weight of the message
// that it alone among them explains, and sorts them again. Sibling
// entries (balance and data left, a lost phone and a new SIM) share most
// of their words; the words they do not share decide between them.
func (b *Base) rerank(s *scratch, top []scored, total float32) []scored {
	if len(top) < 2 {
		return top
	}
	var own [maxTop]float32
	x := b.idx
	for _, q := range s.query {
		posts := x.entPost[x.entStart[q.term]:x.entStart[q.term+1]]
		only, f := -1, float32(0)
		for i, c := range top {
			j, found := slices.BinarySearchFunc(posts, c.entry, func(p entryPosting, e int32) int {
				return cmp.Compare(p.entry, e)
			})
			if !found {
				continue
			}
			if only >= 0 {
				only = -2
				break
			}
			only, f = i, posts[j].f
		}
		if only >= 0 {
			own[only] += q.w * f
		}
	}
	for i := range top {
		bonus := rerankShare * min(own[i]/queryNorm(total, x.entNorm[top[i].entry]), 1)
		bonus -= b.siblingPenalty(s, top[i].entry, total)
		top[i].score = min(max(top[i].score+bonus, 0), 1)
	}
	slices.SortStableFunc(top, func(a, c scored) int { return cmp.Compare(c.score, a.score) })
	return top
}
