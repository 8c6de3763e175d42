package kb

// Options tune the matcher. Start from DefaultOptions and change fields.
type Options struct {
	// AnswerScore is the lowest top score that answers the message.
	AnswerScore float64
	// AnswerMargin is the lead over the second candidate that a top score
	// below SureScore needs to answer; closer calls become suggestions.
	AnswerMargin float64
	// SureScore is the top score that answers whatever the margin. The
	// default is above 1, the highest score, so that a near-tie is never
	// answered however high both scores are.
	SureScore float64
	// SuggestScore is the lowest top score that suggests candidates; below
	// it the verdict is Unknown.
	SuggestScore float64
	// AnswerCoverage is the least share of the message's informative
	// content (see Candidate.Coverage) that the first candidate must
	// explain to answer; below it the verdict is at most Suggest.
	AnswerCoverage float64
	// SuggestCoverage is the least coverage that suggests candidates;
	// below it the verdict is Unknown.
	SuggestCoverage float64
	// CandidateScore is the lowest score of any candidate returned.
	CandidateScore float64
	// MaxCandidates caps the number of candidates returned (at most 10).
	MaxCandidates int
	// Synonyms are groups of interchangeable terms added to those of the
	// knowledge base file.
	Synonyms [][]string
	// BuiltinLexicon adds the built-in telecom synonyms (English and
	// colloquial wording) and stop phrases.
	BuiltinLexicon bool
	// Typos lets an unknown English word of five letters or more match a
	// known word one edit away, and an unknown Chinese bigram match a known
	// one that reads the same.
	Typos bool
}

// DefaultOptions returns the options tuned on subscribers' questions.
func DefaultOptions() Options {
	return Options{
		AnswerScore:     0.28,
		AnswerMargin:    0.04,
		SureScore:       1.01,
		SuggestScore:    0.18,
		AnswerCoverage:  0.2,
		SuggestCoverage: 0.1,
		CandidateScore:  0.12,
		MaxCandidates:   3,
		BuiltinLexicon:  true,
		Typos:           true,
	}
}

// verdict decides from the best and second-best scores.
func (o Options) verdict(top, second float64) Verdict {
	switch {
	case top >= o.AnswerScore && (top >= o.SureScore || top-second >= o.AnswerMargin):
		return Answer
	case top >= o.SuggestScore:
		return Suggest
	}
	return Unknown
}

// covered lowers the verdict v when the first candidate explains too little
// of the message.
func (o Options) covered(v Verdict, coverage float64) Verdict {
	if v == Answer && coverage < o.AnswerCoverage {
		v = Suggest
	}
	if v == Suggest && coverage < o.SuggestCoverage {
		v = Unknown
	}
	return v
}
