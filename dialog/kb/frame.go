package kb

import "strings"

// frameWeight is the positional weight of a question frame: what kind of
// answer a message asks for (a reason, a time, a place) tells sibling
// entries apart, but says less than a word of its subject.
const frameWeight = 0.75

// framePrefix starts the pseudo-word of a frame; normalized text never
// has it, so a frame is never mistaken for a word of the message.
const framePrefix = "?"

// questionFrames lists, for each kind of answer asked for, the ways
// subscribers ask for it. Chinese phrases match anywhere; English ones
// match whole words. How long and how much are words of the lexicon
// (多久, 多少钱) and are not repeated here.
// Each frame's word is framePrefix and its name, written out so that
// matching does not build it.
var questionFrames = []struct {
	word    string
	phrases []string
}{
	{"?why", []string{"为什么", "为啥", "怎么回事", "咋回事", "什么原因", "啥原因", "凭什么",
		"怎么会", "why", "how come"}},
	{"?when", []string{"什么时候", "啥时候", "几号", "哪天", "何时", "几点", "when", "what time",
		"what day", "what date", "which day", "which date"}},
	{"?where", []string{"在哪", "哪里", "哪儿", "去哪", "哪个地方", "找谁", "where", "who do i"}},
	{"?how", []string{"怎么办理", "如何办理", "怎么弄", "怎么操作", "怎么做", "怎么申请",
		"how do i", "how can i", "how to", "how do you"}},
	{"?requirement", []string{"什么条件", "啥条件", "有什么要求", "资格", "符合", "requirement",
		"eligible", "qualify"}},
	{"?amount", []string{"多少", "几个", "几张", "几块", "几g", "how much", "how many"}},
	{"?meaning", []string{"什么意思", "啥意思", "干嘛的", "干什么的", "what does", "what is",
		"mean"}},
}

// frames appends to out the frame features of text, which must be
// normalized.
func frames(text string, out []feature) []feature {
	for _, f := range questionFrames {
		for _, p := range f.phrases {
			if containsPhrase(text, p) {
				out = append(out, feature{word: f.word, w: frameWeight})
				break
			}
		}
	}
	return out
}

// containsPhrase reports whether text has phrase: anywhere for a Chinese
// phrase, as whole words for an English one.
func containsPhrase(text, phrase string) bool {
	if phrase[0] >= 0x80 {
		return strings.Contains(text, phrase)
	}
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], phrase)
		if i < 0 {
			return false
		}
		at, end := from+i, from+i+len(phrase)
		if (at == 0 || !asciiWordByte(text[at-1])) && (end == len(text) || !asciiWordByte(text[end])) {
			return true
		}
		from = at + 1
	}
	return false
}

func asciiWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '\''
}

// isFrame reports whether the word of a term is a question frame.
func isFrame(word string) bool { return strings.HasPrefix(word, framePrefix) }

// frameGramTerms marks the terms that are bigrams of the Chinese phrases
// of questionFrames (几号, 时候, 原因). They ask what kind of answer is
// wanted and name no subject, so they do not make a message specific.
// Amounts (多少) are left out: how many minutes or how much money is
// mostly what an entry about a quantity is for.
func frameGramTerms(grams map[uint64]int32, terms int) []bool {
	out := make([]bool, terms)
	for _, f := range questionFrames {
		if f.word == "?amount" {
			continue
		}
		for _, p := range f.phrases {
			rs := []rune(p)
			for i := 0; i+1 < len(rs); i++ {
				if t, ok := grams[bigramKey(rs[i], rs[i+1])]; ok {
					out[t] = true
				}
			}
		}
	}
	return out
}
