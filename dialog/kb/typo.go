package kb

import "hotline/dialog/textnorm"

// Typo tolerance limits.
const (
	minTypoIndexLen = 4   // shortest known word indexed for typos
	minTypoWordLen  = 5   // shortest unknown word corrected
	fuzzyFactor     = 0.8 // weight of a corrected feature
)

// typoIndex maps each known plain word, and each form of it with one
// letter deleted, to its terms.
func typoIndex(words []string) map[string][]int32 {
	out := map[string][]int32{}
	for t, w := range words {
		if len(w) < minTypoIndexLen || !plainWord(w) {
			continue
		}
		out[w] = append(out[w], int32(t))
		for i := range len(w) {
			d := w[:i] + w[i+1:]
			out[d] = append(out[d], int32(t))
		}
	}
	return out
}

// correctWord returns the known word term one edit away from the unknown
// word w, the most frequent when there are several, or -1.
func (x *index) correctWord(w string) int32 {
	return nearestWord(w, x.typos, x.word, func(a, b int32) bool { return x.df[a] > x.df[b] })
}

// nearestWord looks w up in a typo index over words and returns the word
// one edit away (substitution, insertion, deletion or swap of neighbours)
// that better prefers, or -1. Words shorter than minTypoWordLen are not
// corrected.
func nearestWord(w string, typos map[string][]int32, words []string,
	better func(a, b int32) bool) int32 {
	if len(w) < minTypoWordLen || len(w) > 32 || !plainWord(w) {
		return -1
	}
	best := pickTypo(w, typos[w], words, better, -1)
	var buf [32]byte
	for i := range len(w) {
		n := copy(buf[:], w[:i])
		n += copy(buf[n:], w[i+1:])
		best = pickTypo(w, typos[string(buf[:n])], words, better, best)
	}
	return best
}

// pickTypo keeps the best candidate within one edit of w.
func pickTypo(w string, cands []int32, words []string, better func(a, b int32) bool, best int32) int32 {
	for _, t := range cands {
		if !withinOneEdit(w, words[t]) {
			continue
		}
		if best < 0 || better(t, best) {
			best = t
		}
	}
	return best
}

// withinOneEdit reports whether a and b differ by at most one
// substitution, insertion, deletion or swap of neighbouring letters.
func withinOneEdit(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	switch len(a) - len(b) {
	case 0:
		return sameButOneOrSwap(a, b)
	case 1:
		i := commonPrefix(a, b)
		return a[i+1:] == b[i:]
	}
	return false
}

func sameButOneOrSwap(a, b string) bool {
	i := commonPrefix(a, b)
	if i == len(a) || a[i+1:] == b[i+1:] {
		return true
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}

func commonPrefix(a, b string) int {
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// soundIndex maps each known bigram that has a character with homophones
// to the bigram of the first characters of their homophone groups, so
// that a mistyped bigram that reads the same finds it.
func soundIndex(grams map[uint64]int32, df []int32) map[uint64]int32 {
	out := map[uint64]int32{}
	for k, t := range grams {
		a, b, ok := bigramRunes(k)
		if !ok {
			continue
		}
		key := bigramKey(soundClass(a), soundClass(b))
		if key == k && textnorm.Homophones(a) == "" && textnorm.Homophones(b) == "" {
			continue
		}
		if old, ok := out[key]; !ok || df[t] > df[old] || df[t] == df[old] && t < old {
			out[key] = t
		}
	}
	return out
}

// soundClass returns the first character of r's homophone group, or r.
func soundClass(r rune) rune {
	for _, c := range textnorm.Homophones(r) {
		return c
	}
	return r
}

// correctBigram returns the known bigram term that reads like the unknown
// bigram key k, or -1.
func (x *index) correctBigram(k uint64) int32 {
	a, b, ok := bigramRunes(k)
	if !ok {
		return -1
	}
	if t, ok := x.sounds[bigramKey(soundClass(a), soundClass(b))]; ok {
		return t
	}
	return -1
}
