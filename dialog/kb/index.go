package kb

import (
	"math"
	"strings"
)

// How much a feature found only outside an entry's phrasings counts
// towards the entry.
const (
	tagFactor    = 0.7
	answerFactor = 0.4
)

// index holds the postings of every feature of the knowledge base. A unit
// is one phrasing (the question or an alternate) of one entry.
type index struct {
	lex   *lexicon
	grams map[uint64]int32 // gram key -> term
	words map[string]int32 // word -> term
	word  []string         // term -> word, "" for grams
	df    []int32          // term -> number of entries that have it
	idf   []float32        // term -> inverse document frequency

	unitStart []int32 // postings of term t: unitPost[unitStart[t]:unitStart[t+1]]
	unitPost  []unitPosting
	entStart  []int32
	entPost   []entryPosting
	unitEntry []int32   // unit -> entry
	unitNorm  []float32 // unit -> sum of its feature weights
	entNorm   []float32 // entry -> mean weight of its units

	unknownIDF float32            // weight of a query feature the base lacks
	typos      map[string][]int32 // word or word with one letter deleted -> word terms
	sounds     map[uint64]int32   // bigram of homophone classes -> bigram term
	kinds      map[uint64]int32   // bigram of character kinds -> bigram term

	uni      []bool    // term -> it is a Chinese unigram
	pdf      []int32   // term -> number of entries with it in a phrasing or tag
	sibs     [][]int32 // entry -> its siblings, closest first
	distinct [][]int32 // entry -> sorted terms of its phrasings its siblings lack
	asking   []bool    // term -> a bigram of a question frame phrase (几号, 哪里)
}

type unitPosting struct {
	unit int32
	w    float32 // positional weight times idf
}

type entryPosting struct {
	entry int32
	f     float32 // 1 in a phrasing, else tagFactor or answerFactor
}

// newIndex indexes the entries.
func newIndex(entries []*Entry, lex *lexicon) *index {
	x := &index{lex: lex, grams: map[uint64]int32{}, words: map[string]int32{}}
	codes := entryCodes(entries, lex)
	var units []map[int32]float32
	ents := make([]map[int32]float32, len(entries))
	for ei, e := range entries {
		ent := map[int32]float32{}
		for _, p := range e.phrasings() {
			u := x.intern(lex.phrasingFeatures(p))
			units = append(units, u)
			x.unitEntry = append(x.unitEntry, int32(ei))
			for t := range u {
				ent[t] = 1
			}
		}
		if len(codes[ei]) > 0 {
			u := x.intern(codes[ei])
			units = append(units, u)
			x.unitEntry = append(x.unitEntry, int32(ei))
			for t := range u {
				ent[t] = max(ent[t], tagFactor)
			}
		}
		x.mergeField(ent, lex.textFeatures(tagText(e)), tagFactor)
		x.mergeField(ent, lex.textFeatures(e.Answer), answerFactor)
		ents[ei] = ent
	}

	x.weigh(ents)
	x.postUnits(units)
	x.postEntries(ents)
	x.entNorm = meanUnitNorms(x.unitNorm, x.unitEntry, len(entries))
	x.siblings(ents)
	x.typos = typoIndex(x.word)
	x.sounds = soundIndex(x.grams, x.df)
	x.kinds = kindIndex(x.grams, x.df)
	x.asking = frameGramTerms(x.grams, len(x.word))
	return x
}

func (x *index) units() int { return len(x.unitEntry) }

// answerCodes returns the codes an answer names, space-separated: SMS
// keywords written in capitals (CXXZ, TD) and numbers of three digits or
// more (10001, 12300). A subscriber who quotes one (CXXZ发到哪个号) asks
// about that entry, so the codes form one more phrasing of it.
func answerCodes(answer string) string {
	var out []string
	for _, w := range strings.FieldsFunc(answer, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	}) {
		digits, upper, lower := 0, 0, 0
		for _, r := range w {
			switch {
			case '0' <= r && r <= '9':
				digits++
			case 'A' <= r && r <= 'Z':
				upper++
			default:
				lower++
			}
		}
		if len(w) >= 3 && digits == len(w) || len(w) >= 2 && upper == len(w) {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// entryCodes returns the features of the codes of each entry's answer
// that are not words of the lexicon (SIM and APP are words, not codes) and
// that few answers share (10000 is in every answer).
func entryCodes(entries []*Entry, lex *lexicon) [][]feature {
	out := make([][]feature, len(entries))
	count := map[string]int{}
	for i, e := range entries {
		for _, c := range strings.Fields(answerCodes(e.Answer)) {
			toks := lex.apply(tokenizeText(c), nil)
			if len(toks) != 1 || toks[0].han() || toks[0].stop || lex.words[toks[0].word] != 0 {
				continue
			}
			out[i] = append(out[i], feature{word: toks[0].word, w: wordWeight})
			count[toks[0].word]++
		}
	}
	limit := max(2, len(entries)/10)
	for i, fs := range out {
		kept := fs[:0]
		for _, f := range fs {
			if count[f.word] <= limit {
				kept = append(kept, f)
			}
		}
		out[i] = kept
	}
	return out
}

// tagText is the entry's id and tags as words.
func tagText(e *Entry) string {
	return strings.ReplaceAll(e.ID+" "+strings.Join(e.Tags, " "), "_", " ")
}

// intern gives every feature a term and returns the highest positional
// weight of each term.
func (x *index) intern(fs []feature) map[int32]float32 {
	out := make(map[int32]float32, len(fs))
	for _, f := range fs {
		t := x.termOf(f)
		out[t] = max(out[t], f.w)
	}
	return out
}

func (x *index) termOf(f feature) int32 {
	if f.word != "" {
		if t, ok := x.words[f.word]; ok {
			return t
		}
		t := int32(len(x.word))
		x.words[f.word] = t
		x.word = append(x.word, f.word)
		x.uni = append(x.uni, false)
		return t
	}
	if t, ok := x.grams[f.key]; ok {
		return t
	}
	t := int32(len(x.word))
	x.grams[f.key] = t
	x.word = append(x.word, "")
	x.uni = append(x.uni, f.key>>42 == 0)
	return t
}

// mergeField records the terms of a tag or answer text in ent.
func (x *index) mergeField(ent map[int32]float32, fs []feature, factor float32) {
	for t := range x.intern(fs) {
		ent[t] = max(ent[t], factor)
	}
}

// weigh counts document frequencies and derives idf.
func (x *index) weigh(ents []map[int32]float32) {
	x.df = make([]int32, len(x.word))
	for _, ent := range ents {
		for t := range ent {
			x.df[t]++
		}
	}
	n := float64(len(ents))
	x.idf = make([]float32, len(x.word))
	for t, df := range x.df {
		x.idf[t] = idf(n, float64(df))
	}
	x.unknownIDF = idf(n, 1)
}

func idf(n, df float64) float32 {
	return float32(math.Log(1 + (n-df+0.5)/(df+0.5)))
}

// postUnits lays out the unit postings by term.
func (x *index) postUnits(units []map[int32]float32) {
	x.unitStart = make([]int32, len(x.word)+1)
	for _, u := range units {
		for t := range u {
			x.unitStart[t+1]++
		}
	}
	for t := range x.word {
		x.unitStart[t+1] += x.unitStart[t]
	}
	fill := append([]int32(nil), x.unitStart[:len(x.word)]...)
	x.unitPost = make([]unitPosting, x.unitStart[len(x.word)])
	x.unitNorm = make([]float32, len(units))
	for ui, u := range units {
		for t, w := range u {
			w *= x.idf[t]
			x.unitPost[fill[t]] = unitPosting{unit: int32(ui), w: w}
			fill[t]++
			x.unitNorm[ui] += w
		}
	}
}

// postEntries lays out the entry postings by term.
func (x *index) postEntries(ents []map[int32]float32) {
	x.entStart = make([]int32, len(x.word)+1)
	for _, ent := range ents {
		for t := range ent {
			x.entStart[t+1]++
		}
	}
	for t := range x.word {
		x.entStart[t+1] += x.entStart[t]
	}
	fill := append([]int32(nil), x.entStart[:len(x.word)]...)
	x.entPost = make([]entryPosting, x.entStart[len(x.word)])
	for ei, ent := range ents {
		for t, f := range ent {
			x.entPost[fill[t]] = entryPosting{entry: int32(ei), f: f}
			fill[t]++
		}
	}
}

// meanUnitNorms averages the unit weights of each entry.
func meanUnitNorms(norms []float32, unitEntry []int32, entries int) []float32 {
	sum := make([]float32, entries)
	count := make([]float32, entries)
	for u, e := range unitEntry {
		sum[e] += norms[u]
		count[e]++
	}
	for e := range sum {
		sum[e] /= max(count[e], 1)
	}
	return sum
}
