package kb

// Options tune the matcher. Start from DefaultOptions and change fields.
type Options struct {
	// AnswerScore is the lowest top score that answers the message.
	AnswerScore float64
	// AnswerMargin is the lead over the second candidate that a top score
	// below SureScore needs to answer; closer calls become suggestions.
	AnswerMargin float64
	// SureScore is the top score that answers whatever the margin.
	SureScore float64
	// SuggestScore is the lowest top score that suggests candidates; below
	// it the verdict is Unknown.
	SuggestScore float64
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
		AnswerScore:    0.28,
		AnswerMargin:   0.04,
		SureScore:      0.45,
		SuggestScore:   0.18,
		CandidateScore: 0.12,
		MaxCandidates:  3,
		BuiltinLexicon: true,
		Typos:          true,
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
