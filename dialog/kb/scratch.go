package kb

// scratch is the per-query working memory of Match, pooled per Base so
// that a query allocates little.
type scratch struct {
	toks, lexed []token
	feats       []feature
	query       []queryTerm
	tokTerms    []tokenTerm

	unitHit  []float32 // unit -> query weight of the features it has
	unitCov  []float32 // unit -> its own weight of those features
	units    []int32   // units touched by this query
	entHit   []float32 // entry -> field-weighted query weight it covers
	entBest  []float32 // entry -> best unit similarity
	entries  []int32   // entries touched by this query
	topSlots [maxTop]scored
}

// maxTop bounds Options.MaxCandidates.
const maxTop = 10

type scored struct {
	entry int32
	score float32
	cover float32 // share of the message the entry explains
}

func newScratch(units, entries int) any {
	return &scratch{
		unitHit: make([]float32, units),
		unitCov: make([]float32, units),
		entHit:  make([]float32, entries),
		entBest: make([]float32, entries),
	}
}

// reset clears what the last query touched.
func (s *scratch) reset() {
	for _, u := range s.units {
		s.unitHit[u], s.unitCov[u] = 0, 0
	}
	for _, e := range s.entries {
		s.entHit[e], s.entBest[e] = 0, 0
	}
	s.units, s.entries = s.units[:0], s.entries[:0]
}
