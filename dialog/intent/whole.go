package intent

// whole matches a message that consists only of its phrases and of filler
// (particles, punctuation turned to spaces, forms of address), with at
// least one phrase: 转人工 or 人工!! but not 人工客服几点上班.
type whole struct {
	phrases terms
	filler  terms
}

// maxWholeLen bounds the messages tried, in bytes; whole-message phrases
// are short.
const maxWholeLen = 120

// matches reports whether s can be cut into phrases and filler.
func (w whole) matches(s string) bool {
	if len(w.phrases) == 0 || s == "" || len(s) > maxWholeLen {
		return false
	}
	// reach[i] is 1 when s[:i] is filler only, 2 when it has a phrase too.
	var reach [maxWholeLen + 1]uint8
	reach[0] = 1
	for i := 0; i < len(s); i++ {
		if reach[i] == 0 {
			continue
		}
		if s[i] == ' ' {
			reach[i+1] = max(reach[i+1], reach[i])
			continue
		}
		w.step(s, i, &reach)
	}
	return reach[len(s)] == 2
}

// step extends reach from i by every phrase and filler that matches there.
func (w whole) step(s string, i int, reach *[maxWholeLen + 1]uint8) {
	for _, t := range w.phrases {
		if t.At(s, i) {
			reach[i+len(t.Text())] = 2
		}
	}
	for _, t := range w.filler {
		if t.At(s, i) {
			end := i + len(t.Text())
			reach[end] = max(reach[end], reach[i])
		}
	}
}
