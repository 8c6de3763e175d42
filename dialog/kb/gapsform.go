package kb

import (
	"cmp"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"hotline/dialog/textnorm"
	"hotline/handoff"
)

// gapNumberDigits is the fewest digits that make a word a long number
// (a phone, identity card or order number): every such number is the same
// word to Gaps, so "停机了" questions that quote different phone numbers
// still count as one wording. Service numbers such as 10086 stay words.
const gapNumberDigits = 7

// gapNumberWord stands for any long number; normalised text never has it.
const gapNumberWord = "#"

// gapLexicon is the built-in lexicon with gapSynonyms and gapStopPhrases,
// built once: Gaps has no knowledge base, and typo tolerance would only
// blur the wordings it compares.
var gapLexicon = sync.OnceValue(func() *lexicon {
	l := newLexicon(gapSynonyms, Options{BuiltinLexicon: true})
	for _, p := range gapStopPhrases {
		l.add(tokenizeText(p), action{stop: true})
	}
	return l
})

// gapSynonyms join words that the matcher keeps apart but that ask for
// one thing in a gap: 办宽带 and 装宽带 are the same request.
var gapSynonyms = [][]string{
	{"办理", "办", "申请", "安装", "装"},
}

// gapStopPhrases are words that say nothing about the need: measure
// words and the wish to do something.
var gapStopPhrases = []string{"个", "想", "下", "我家", "家里"}

// gapForm is one distinct wording: the questions whose normalised text,
// long numbers aside, is the same.
type gapForm struct {
	key       string  // the tokens written out
	toks      []token // the tokens, before the lexicon
	questions []int32 // indexes of its questions, in input order
	vec       []gapTerm
}

// gapTerm is one weighted feature of a form's vector.
type gapTerm struct {
	term int32
	w    float32
}

// gapForms collects the distinct wordings of the questions: the most
// frequent first, the shorter first among equals (a short question makes
// the clearest centre for a group), then in order of their keys.
func gapForms(questions []GapQuestion) []gapForm {
	var forms []gapForm
	byKey := map[string]int{}
	var toks []token
	var key strings.Builder
	for i, q := range questions {
		toks = tokenize(textnorm.Normalize(q.Text), toks[:0])
		k := formKey(&key, toks)
		fi, ok := byKey[k]
		if !ok {
			fi = len(forms)
			byKey[k] = fi
			forms = append(forms, gapForm{key: k, toks: slices.Clone(toks)})
		}
		forms[fi].questions = append(forms[fi].questions, int32(i))
	}
	slices.SortFunc(forms, func(a, b gapForm) int {
		if c := cmp.Compare(len(b.questions), len(a.questions)); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.toks), len(b.toks)); c != 0 {
			return c
		}
		return cmp.Compare(a.key, b.key)
	})
	return forms
}

// formKey replaces long numbers in toks with gapNumberWord and writes the
// tokens out as the key of their wording.
func formKey(b *strings.Builder, toks []token) string {
	b.Reset()
	for i := range toks {
		t := &toks[i]
		if !t.han() && longNumber(t.word) {
			t.word = gapNumberWord
		}
		if t.gap {
			b.WriteByte(' ')
		}
		if t.han() {
			b.WriteRune(t.r)
		} else {
			b.WriteString(t.word)
		}
	}
	return b.String()
}

// longNumber reports whether w has gapNumberDigits digits or more.
func longNumber(w string) bool {
	n := 0
	for i := 0; i < len(w); i++ {
		if w[i] >= '0' && w[i] <= '9' {
			n++
		}
	}
	return n >= gapNumberDigits
}

// gapLoneWeight scales a feature found in one wording only. It cannot
// make that wording like any other, only less like all of them; at full
// weight, the extra words of a longer question (家里, 了) would keep it
// apart from its shorter rewordings, yet they still count for something,
// so two questions that share one character alone do not pass for the
// same.
const gapLoneWeight = 0.5

// weighForms gives every form its unit vector of features weighted by
// idf over the forms, and returns the number of distinct terms. Document
// frequency counts wordings, not questions: a wording asked a hundred
// times does not make its words any more common.
func weighForms(forms []gapForm) int {
	lex := gapLexicon()
	terms := map[feature]int32{}
	var df []int
	var lexed []token
	var feats []feature
	for i := range forms {
		f := &forms[i]
		lexed = lex.apply(f.toks, lexed[:0])
		feats = dedupe(features(lexed, feats[:0]))
		f.vec = make([]gapTerm, 0, len(feats))
		for _, ft := range feats {
			k := feature{key: ft.key, word: ft.word}
			t, ok := terms[k]
			if !ok {
				t = int32(len(df))
				terms[k] = t
				df = append(df, 0)
			}
			df[t]++
			f.vec = append(f.vec, gapTerm{term: t, w: ft.w})
		}
	}
	for i := range forms {
		unitVector(forms[i].vec, df, float64(len(forms)))
	}
	return len(df)
}

// unitVector multiplies the weights of vec by their idf (and by
// gapLoneWeight for a term of one wording only) and scales vec to unit
// length.
func unitVector(vec []gapTerm, df []int, n float64) {
	var sum float64
	for i := range vec {
		vec[i].w *= idf(n, float64(df[vec[i].term]))
		if df[vec[i].term] == 1 {
			vec[i].w *= gapLoneWeight
		}
		sum += float64(vec[i].w) * float64(vec[i].w)
	}
	if sum == 0 {
		return
	}
	scale := float32(1 / math.Sqrt(sum))
	for i := range vec {
		vec[i].w *= scale
	}
}

// display returns the form's most frequent original text, the smallest
// on a tie, on one line and masked.
func (f *gapForm) display(questions []GapQuestion) string {
	counts := make(map[string]int, len(f.questions))
	for _, qi := range f.questions {
		counts[strings.Join(strings.Fields(questions[qi].Text), " ")]++
	}
	return maskText(mostFrequent(counts))
}

// maskText masks the phone and identity card numbers in text, and any
// other long number, such as an identity card number mistyped: the people
// who read the gaps need the wording, not the numbers. When normalising
// reveals more numbers (full-width or spoken digits: 幺三八…), the
// normalised text is masked and returned instead, so no number survives
// in a form the masks do not recognise.
func maskText(text string) string {
	norm := textnorm.Normalize(text)
	if len(handoff.FindSensitive(norm)) > len(handoff.FindSensitive(text)) ||
		len(longNumberPattern.FindAllStringIndex(norm, -1)) > len(longNumberPattern.FindAllStringIndex(text, -1)) {
		text = norm
	}
	return longNumberPattern.ReplaceAllStringFunc(handoff.Mask(text), func(n string) string {
		return strings.Repeat("*", len(n))
	})
}

// longNumberPattern matches a number of gapNumberDigits digits or more,
// with the check letter an identity card number may end in.
var longNumberPattern = regexp.MustCompile(`[0-9]{` + strconv.Itoa(gapNumberDigits) + `,}[Xx]?`)
