package kb

import "hotline/dialog/textnorm"

// Positional weights of features before inverse document frequency.
const (
	unigramWeight = 0.4 // a single Chinese character says little alone
	bigramWeight  = 1.0
	wordWeight    = 1.0
	halfStop      = 0.5 // a bigram with one stop character
)

// feature is a unigram, a bigram or a word of a text with its positional
// weight.
type feature struct {
	key  uint64 // gram key; 0 for a word
	word string // the word of a word feature
	w    float32
}

// gram keys keep unigrams and bigrams apart.
func unigramKey(r rune) uint64   { return uint64(r) }
func bigramKey(a, b rune) uint64 { return 1<<42 | uint64(a)<<21 | uint64(b) }

// bigramRunes splits a bigram key.
func bigramRunes(k uint64) (rune, rune, bool) {
	if k>>42 != 1 {
		return 0, 0, false
	}
	return rune(k >> 21 & 0x1FFFFF), rune(k & 0x1FFFFF), true
}

// features appends the features of the tokens to out. Features made only
// of stop tokens are left out: they would weigh a tenth at most, and
// leaving them out keeps the postings of 的, 怎么 and the like from
// touching every entry.
func features(toks []token, out []feature) []feature {
	for i, t := range toks {
		if !t.han() {
			if !t.stop {
				out = append(out, feature{word: t.word, w: wordWeight})
			}
			continue
		}
		if !t.stop {
			out = append(out, feature{key: unigramKey(t.r), w: unigramWeight})
		}
		if i+1 < len(toks) && toks[i+1].han() && !toks[i+1].gap {
			n := toks[i+1]
			if w := bigramWeight * pairWeight(t.stop, n.stop); w > 0 {
				out = append(out, feature{key: bigramKey(t.r, n.r), w: w})
			}
		}
	}
	return out
}

func pairWeight(a, b bool) float32 {
	switch {
	case a && b:
		return 0
	case a || b:
		return halfStop
	}
	return 1
}

// textFeatures runs the whole pipeline on one text of the knowledge base.
func (l *lexicon) textFeatures(text string) []feature {
	return features(l.apply(tokenizeText(text), nil), nil)
}

// phrasingFeatures is textFeatures with the question frames of a
// phrasing.
func (l *lexicon) phrasingFeatures(text string) []feature {
	return frames(textnorm.Normalize(text), l.textFeatures(text))
}
