package kb

// lexicon rewrites token sequences before features are taken: a synonym
// becomes its group's canonical term, and the tokens of a stop phrase are
// marked so that they weigh little. It is a trie over tokens; at each
// position the longest term wins.
type lexicon struct {
	words map[string]uint64 // word -> id, for words that occur in terms
	next  map[uint64]int32  // node<<34 | token key -> child node; 0 is the root
	acts  []action          // per node

	// typos indexes the words for typo tolerance; nil when it is off.
	typos    map[string][]int32
	wordList []string // id-1 -> word
}

// action is what the lexicon does with a term that ends at a node.
type action struct {
	stop  bool    // mark the term's tokens as a stop phrase
	canon []token // replace the term with these tokens (nil: no action)
}

func (a action) none() bool { return !a.stop && a.canon == nil }

// newLexicon builds the lexicon from the file's synonym groups, the
// options' groups and, when enabled, the built-in lexicon.
func newLexicon(fileGroups [][]string, o Options) *lexicon {
	l := &lexicon{words: map[string]uint64{}, next: map[uint64]int32{}, acts: []action{{}}}
	groups := append(append([][]string{}, fileGroups...), o.Synonyms...)
	if o.BuiltinLexicon {
		for _, p := range builtinStopPhrases() {
			l.add(tokenizeText(p), action{stop: true})
		}
		groups = append(groups, builtinSynonyms()...)
	}
	for _, g := range mergeGroups(groups) {
		canon := tokenizeText(g[0])
		for _, term := range g {
			l.add(tokenizeText(term), action{canon: canon})
		}
	}
	if o.Typos {
		l.wordList = make([]string, len(l.words))
		for w, id := range l.words {
			l.wordList[id-1] = w
		}
		l.typos = typoIndex(l.wordList)
	}
	return l
}

// add inserts the term's tokens into the trie.
func (l *lexicon) add(term []token, act action) {
	if len(term) == 0 {
		return
	}
	node := int32(0)
	for _, t := range term {
		k := l.insertKey(t)
		child, ok := l.next[uint64(node)<<34|k]
		if !ok {
			child = int32(len(l.acts))
			l.acts = append(l.acts, action{})
			l.next[uint64(node)<<34|k] = child
		}
		node = child
	}
	l.acts[node] = act
}

func (l *lexicon) insertKey(t token) uint64 {
	if t.han() {
		return uint64(t.r)
	}
	id, ok := l.words[t.word]
	if !ok {
		id = uint64(len(l.words)) + 1
		l.words[t.word] = id
	}
	return 1<<21 + id
}

// key returns the trie key of t, or 0 when no term contains it.
func (l *lexicon) key(t token) uint64 {
	if t.han() {
		return uint64(t.r)
	}
	if id, ok := l.words[t.word]; ok {
		return 1<<21 + id
	}
	if l.typos != nil {
		// Words of terms are rare enough that the first one found will do.
		first := func(a, b int32) bool { return a < b }
		if i := nearestWord(t.word, l.typos, l.wordList, first); i >= 0 {
			return 1<<21 + uint64(i) + 1
		}
	}
	return 0
}

// apply appends the rewritten tokens of in to out.
func (l *lexicon) apply(in, out []token) []token {
	for i := 0; i < len(in); {
		end, act := l.longest(in, i)
		switch {
		case act.none():
			out = append(out, in[i])
			i++
			continue
		case act.stop:
			end = l.yieldToTerm(in, i, end)
			for _, t := range in[i:end] {
				t.stop = true
				out = append(out, t)
			}
		default:
			for k, t := range act.canon {
				t.gap = k == 0 && in[i].gap || k > 0 && t.gap
				out = append(out, t)
			}
		}
		i = end
	}
	return out
}

// yieldToTerm shortens the stop phrase in[i:end] so that it does not eat
// the start of a synonym reaching past it: in 现在的话费, the stop phrase
// 的话 gives way to 话费 and only 的 is a stop word.
func (l *lexicon) yieldToTerm(in []token, i, end int) int {
	for k := i + 1; k < end; k++ {
		if e, a := l.longest(in, k); e > end && a.canon != nil {
			return k
		}
	}
	return end
}

// longest finds the longest term starting at in[i]. It returns the index
// after the term and its action, or a none action.
func (l *lexicon) longest(in []token, i int) (int, action) {
	node, end, best := int32(0), i, action{}
	for j := i; j < len(in); j++ {
		if j > i && in[j].han() && in[j-1].han() && in[j].gap {
			break // a Chinese term does not run across punctuation
		}
		k := l.key(in[j])
		child, ok := l.next[uint64(node)<<34|k]
		if k == 0 || !ok {
			if j > i && determiner(in[j]) {
				continue // forward my calls is forward calls
			}
			break
		}
		node = child
		if a := l.acts[node]; !a.none() {
			end, best = j+1, a
		}
	}
	return end, best
}

// determiners are English words that may stand inside a multi-word term
// without changing it: forward my calls, check the balance.
var determiners = map[string]bool{
	"my": true, "your": true, "our": true, "his": true, "her": true, "their": true,
	"the": true, "a": true, "an": true, "this": true, "that": true,
}

// determiner reports whether t is a determiner word.
func determiner(t token) bool { return !t.han() && determiners[t.word] }
