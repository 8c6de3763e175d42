package kb

import (
	"cmp"
	"slices"
	"time"
)

// DefaultGapSimilarity is the least cosine similarity between a question
// and a group that Gaps uses when GapOptions leave MinSimilarity zero.
// Below about 0.4 questions that share only a topic (宽带, 话费) start to
// merge; above about 0.6 rewordings of one question stay apart.
const DefaultGapSimilarity = 0.5

// DefaultGapExamples is the number of examples per gap when GapOptions
// leave Examples zero.
const DefaultGapExamples = 3

// GapQuestion is one question the bot could not answer confidently, as the
// conversation store records it.
type GapQuestion struct {
	// ConversationID is the conversation the question was asked in.
	ConversationID string
	// Text is the question as the subscriber wrote it.
	Text string
	// BestEntry is the id of the closest entry, or "" when there was none.
	BestEntry string
	// Suggested is true when the bot offered the closest entries as
	// choices (a near miss), false when it knew of nothing to offer.
	Suggested bool
	// At is when the question was asked.
	At time.Time
}

// GapOptions tune Gaps. The zero value uses the defaults.
type GapOptions struct {
	// MinSimilarity is the least cosine similarity, from 0 to 1, between
	// a question and the centre of a group for the question to join it;
	// zero means DefaultGapSimilarity. At 1 only questions whose wording
	// is the same once normalised group together.
	MinSimilarity float64
	// Examples is the most examples kept per gap; zero means
	// DefaultGapExamples and a negative number none.
	Examples int
}

// Gap is a group of unanswered questions that ask much the same thing:
// one entry, or one alternate wording, that the knowledge base lacks.
type Gap struct {
	// Size is the number of questions in the group.
	Size int
	// Conversations is the number of distinct conversations they came
	// from, so one insistent subscriber does not pass for many.
	Conversations int
	// Representative is the most frequent wording of the group, on one
	// line, with phone and identity card numbers masked.
	Representative string
	// Examples are other wordings of the group, most frequent first,
	// distinct and masked like Representative.
	Examples []string
	// BestEntry is the closest entry named most often for the group's
	// questions, or "" when none had one.
	BestEntry string
	// Suggested is how many of the questions the bot answered with
	// choices; Unknown is how many it had nothing for.
	Suggested, Unknown int
	// FirstAt and LastAt are when the first and the last question of the
	// group were asked.
	FirstAt, LastAt time.Time
}

// Gaps groups the questions by similarity of wording, largest group
// first, so the people who maintain the knowledge base see what to add
// first. Groups of the same size come newest first.
//
// Questions are compared with the matcher's features (Chinese characters
// and bigrams, stemmed words, the built-in synonyms and stop phrases)
// weighted by inverse document frequency over the questions given, by the
// cosine between a question and the centre of a group. Questions whose
// normalised wording is the same, long numbers aside, always share a
// group. The most frequent wordings are placed first, each joining the
// closest group or starting one, so the result does not depend on the
// order of the questions.
func Gaps(questions []GapQuestion, opts GapOptions) []Gap {
	opts = opts.withDefaults()
	forms := gapForms(questions)
	terms := weighForms(forms)
	clusters := clusterForms(forms, terms, float32(opts.MinSimilarity))

	gaps := make([]Gap, 0, len(clusters))
	for _, c := range clusters {
		gaps = append(gaps, makeGap(questions, forms, c, opts.Examples))
	}
	slices.SortFunc(gaps, func(a, b Gap) int {
		if c := cmp.Compare(b.Size, a.Size); c != 0 {
			return c
		}
		if c := b.LastAt.Compare(a.LastAt); c != 0 {
			return c
		}
		return cmp.Compare(a.Representative, b.Representative)
	})
	return gaps
}

// withDefaults fills the zero fields.
func (o GapOptions) withDefaults() GapOptions {
	if o.MinSimilarity == 0 {
		o.MinSimilarity = DefaultGapSimilarity
	}
	switch {
	case o.Examples == 0:
		o.Examples = DefaultGapExamples
	case o.Examples < 0:
		o.Examples = 0
	}
	return o
}

// makeGap sums up the questions of one cluster of forms, whose first form
// is the most frequent.
func makeGap(questions []GapQuestion, forms []gapForm, cluster []int32, examples int) Gap {
	g := Gap{Representative: forms[cluster[0]].display(questions)}
	conversations := map[string]bool{}
	entries := map[string]int{}
	for _, fi := range cluster {
		for _, qi := range forms[fi].questions {
			q := questions[qi]
			g.count(q)
			if q.ConversationID != "" {
				conversations[q.ConversationID] = true
			}
			if q.BestEntry != "" {
				entries[q.BestEntry]++
			}
		}
	}
	g.Conversations = len(conversations)
	g.BestEntry = mostFrequent(entries)
	g.Examples = gapExamples(questions, forms, cluster, g.Representative, examples)
	return g
}

// count adds one question to the totals of g.
func (g *Gap) count(q GapQuestion) {
	g.Size++
	if q.Suggested {
		g.Suggested++
	} else {
		g.Unknown++
	}
	if g.FirstAt.IsZero() || q.At.Before(g.FirstAt) {
		g.FirstAt = q.At
	}
	if q.At.After(g.LastAt) {
		g.LastAt = q.At
	}
}

// gapExamples returns up to n distinct wordings of the cluster other than
// the representative, in the cluster's order (most frequent first).
func gapExamples(questions []GapQuestion, forms []gapForm, cluster []int32, rep string, n int) []string {
	var out []string
	for _, fi := range cluster[1:] {
		if len(out) == n {
			break
		}
		if s := forms[fi].display(questions); s != rep && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// mostFrequent returns the key with the highest count, the smallest such
// key on a tie, or "" for an empty map.
func mostFrequent(counts map[string]int) string {
	best, n := "", 0
	for k, c := range counts {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	return best
}
