package kb

// Match scores the entries against text and returns the verdict with the
// best candidates.
func (b *Base) Match(text string) Result {
	s := b.scratch.Get().(*scratch)
	defer b.scratch.Put(s)

	total := b.prepare(s, text)
	if total == 0 || len(s.query) == 0 {
		return Result{Verdict: Unknown}
	}
	b.accumulate(s)
	top := b.rank(s, total)
	s.reset()
	return b.result(top)
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
	res := Result{Verdict: b.opts.verdict(float64(top[0].score), float64(second))}
	for _, c := range top {
		if float64(c.score) < b.opts.CandidateScore {
			break
		}
		cand := Candidate{Entry: b.entries[c.entry], Score: float64(c.score)}
		res.Candidates = append(res.Candidates, cand)
	}
	if len(res.Candidates) == 0 {
		res.Verdict = Unknown
	}
	return res
}
