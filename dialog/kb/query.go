package kb

import (
	"cmp"
	"slices"

	"hotline/dialog/textnorm"
)

// queryTerm is a feature of the message found in the index.
type queryTerm struct {
	term int32
	w    float32 // positional weight times idf
}

// prepare turns text into query terms and returns the total query weight,
// including features the base lacks.
func (b *Base) prepare(s *scratch, text string) float32 {
	norm := textnorm.Normalize(text)
	s.toks = tokenize(norm, s.toks[:0])
	s.lexed = b.idx.lex.apply(s.toks, s.lexed[:0])
	s.feats = dedupe(frames(norm, features(s.lexed, s.feats[:0])))
	s.query = s.query[:0]

	var total float32
	for _, f := range s.feats {
		t, w := b.idx.lookup(f, b.opts.Typos)
		if t < 0 {
			total += f.w * b.idx.unknownWeight(f)
			continue
		}
		w *= f.w * b.idx.idf[t]
		s.query = append(s.query, queryTerm{term: t, w: w})
		total += w
	}
	return total
}

// unknownWeight is the idf given to a feature the base lacks. An unknown
// word or character weighs as much as the rarest known one. An unknown
// bigram of known characters is mostly a pair across a word boundary (查下,
// 还有), so it weighs half the mean idf of its characters.
func (x *index) unknownWeight(f feature) float32 {
	a, b, ok := bigramRunes(f.key)
	if !ok {
		return x.unknownIDF
	}
	return (x.charIDF(a) + x.charIDF(b)) / 4
}

func (x *index) charIDF(r rune) float32 {
	if t, ok := x.grams[unigramKey(r)]; ok {
		return x.idf[t]
	}
	return x.unknownIDF
}

// dedupe sorts features and keeps the heaviest of each.
func dedupe(fs []feature) []feature {
	slices.SortFunc(fs, func(a, b feature) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.word, b.word)
	})
	out := fs[:0]
	for _, f := range fs {
		if n := len(out); n > 0 && out[n-1].key == f.key && out[n-1].word == f.word {
			out[n-1].w = max(out[n-1].w, f.w)
			continue
		}
		out = append(out, f)
	}
	return out
}

// lookup finds the term of a feature, correcting typos when allowed. The
// factor is 1 for an exact find and fuzzyFactor for a correction.
func (x *index) lookup(f feature, typos bool) (int32, float32) {
	if f.word != "" {
		if t, ok := x.words[f.word]; ok {
			return t, 1
		}
		if typos {
			if t := x.correctWord(f.word); t >= 0 {
				return t, fuzzyFactor
			}
		}
		return -1, 0
	}
	if t, ok := x.grams[f.key]; ok {
		return t, 1
	}
	if typos && f.w >= bigramWeight {
		if t := x.correctBigram(f.key); t >= 0 {
			return t, fuzzyFactor
		}
		if t := x.similarBigram(f.key); t >= 0 {
			return t, fuzzyFactor
		}
	}
	return -1, 0
}
