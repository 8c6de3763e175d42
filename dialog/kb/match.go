package kb

// Match scores the entries against text and returns the verdict with the
// best candidates. A long message that is not answered as a whole may be
// answered from one of its clauses (see matchClauses).
func (b *Base) Match(text string) Result {
	res := b.matchText(text)
	if res.Verdict == Answer {
		return res
	}
	if part, ok := b.matchClauses(text, res); ok {
		return part
	}
	return res
}

// matchText scores the entries against the whole of text.
func (b *Base) matchText(text string) Result {
	s := b.scratch.Get().(*scratch)
	defer b.scratch.Put(s)

	total := b.prepare(s, text)
	if total == 0 || len(s.query) == 0 {
		return Result{Verdict: Unknown}
	}
	b.accumulate(s)
	top := b.rank(s, total)
	specific := len(top) > 0 && b.specific(s, top[0].entry)
	s.reset()
	res := b.result(top)
	if !specific && res.Verdict == Answer {
		res.Verdict = Suggest
	}
	return res
}

// topicShare is the share of the entries above which a term names a
// topic (流量, 宽带) rather than a question.
const topicShare = 0.1

// specific reports whether entry e has in its phrasings or tags a term of
// the message (a bigram or a word, not a question word such as 几号) that
// few entries' phrasings share, or two of them that are broad. A message that names only a broad topic
// (流量) matches many entries about as well, and is offered suggestions
// rather than answered.
func (b *Base) specific(s *scratch, e int32) bool {
	x := b.idx
	limit := max(topicShare*float32(len(b.entries)), 1)
	shared := 0
	for _, q := range s.query {
		if x.uni[q.term] || x.asking[q.term] || isFrame(x.word[q.term]) || x.factor(q.term, e) < tagFactor {
			continue
		}
		if float32(x.pdf[q.term]) <= limit {
			return true
		}
		shared++
	}
	return shared >= 2
}

// result turns the ranked entries into a Result.
func (b *Base) result(top []scored) Result {
	if len(top) == 0 {
		return Result{Verdict: Unknown}
	}
	var second float32
	if len(top) > 1 {
		second = top[1].score
	}
	v := b.opts.verdict(float64(top[0].score), float64(second))
	res := Result{Verdict: b.opts.covered(v, float64(top[0].cover))}
	for _, c := range top {
		if float64(c.score) < b.opts.CandidateScore {
			break
		}
		cand := Candidate{Entry: b.entries[c.entry], Score: float64(c.score), Coverage: float64(c.cover)}
		res.Candidates = append(res.Candidates, cand)
	}
	if len(res.Candidates) == 0 {
		res.Verdict = Unknown
	}
	return res
}
