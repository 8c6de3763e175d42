package kb

import (
	"strings"

	"hotline/dialog/textnorm"
)

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
// that better prefers, or -1. Words shorter than minTypoWordLen and
// everyday English words (life is not a typo of light) are not corrected.
func nearestWord(w string, typos map[string][]int32, words []string,
	better func(a, b int32) bool) int32 {
	if len(w) < minTypoWordLen || len(w) > 32 || !plainWord(w) || realWord(w) {
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
	return classIndex(grams, df, soundClass, func(r rune) bool { return textnorm.Homophones(r) != "" })
}

// classIndex maps each known bigram with at least one character in a
// class (has reports which) to the bigram of the classes of its two
// characters. When several bigrams share a class bigram, the most frequent
// one wins (the lower term on a tie), so the result does not depend on
// map order.
func classIndex(grams map[uint64]int32, df []int32, class func(rune) rune,
	has func(rune) bool) map[uint64]int32 {
	out := map[uint64]int32{}
	for k, t := range grams {
		a, b, ok := bigramRunes(k)
		if !ok || !has(a) && !has(b) {
			continue
		}
		key := bigramKey(class(a), class(b))
		if old, ok := out[key]; !ok || df[t] > df[old] || df[t] == df[old] && t < old {
			out[key] = t
		}
	}
	return out
}

// classLookup returns the known bigram term whose class bigram is that of
// the unknown bigram key k, or -1.
func classLookup(k uint64, index map[uint64]int32, class func(rune) rune) int32 {
	a, b, ok := bigramRunes(k)
	if !ok {
		return -1
	}
	if t, ok := index[bigramKey(class(a), class(b))]; ok {
		return t
	}
	return -1
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
func (x *index) correctBigram(k uint64) int32 { return classLookup(k, x.sounds, soundClass) }

// charKinds lists characters that subscribers use for one another in
// everyday wording, one group per space-separated word: paying (交 缴 充
// 付 存), opening or applying (开 办), looking up (查 看), changing (改 换
// 变), money and fee (钱 费), none (没 无), moving (移 搬 迁), giving (送
// 赠), collecting (取 领 拿) and measure words (个 张 条 台 部). A bigram
// the base lacks is matched with a known bigram of the same kinds (交费
// with 缴费, 办卡 with 开卡), at the weight of a typo. No character is in
// two groups.
const charKinds = "交缴充付存 开办 查看 改换变 钱费 没无 移搬迁 送赠 取领拿 个张条台部"

// kindOf maps each character of charKinds to the first of its group.
var kindOf = func() map[rune]rune {
	out := map[rune]rune{}
	for _, g := range strings.Fields(charKinds) {
		first := []rune(g)[0]
		for _, c := range g {
			out[c] = first
		}
	}
	return out
}()

// kindClass returns the first character of r's group in charKinds, or r.
func kindClass(r rune) rune {
	if c, ok := kindOf[r]; ok {
		return c
	}
	return r
}

// kindIndex maps each known bigram with a character of charKinds to the
// bigram of the first characters of their groups.
func kindIndex(grams map[uint64]int32, df []int32) map[uint64]int32 {
	return classIndex(grams, df, kindClass, func(r rune) bool { _, ok := kindOf[r]; return ok })
}

// similarBigram returns the known bigram term of the same kinds as the
// unknown bigram key k, or -1.
func (x *index) similarBigram(k uint64) int32 { return classLookup(k, x.kinds, kindClass) }
