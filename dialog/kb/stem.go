package kb

import "strings"

// stem strips common English inflections so that charge, charged and
// charging, or portability and porting, meet. It only ever returns a
// prefix of w, so it does not allocate. Words of three letters or fewer,
// and words with digits or apostrophes, are returned unchanged.
func stem(w string) string {
	if len(w) <= 3 || !plainWord(w) {
		return w
	}
	w = stripPlural(w)
	for _, suffix := range []string{"ability", "ibility", "ation", "ing", "ed", "ly", "ate"} {
		if rest, ok := strings.CutSuffix(w, suffix); ok && len(rest) >= 3 {
			w = rest
			break
		}
	}
	if len(w) > 3 && (w[len(w)-1] == 'e' || w[len(w)-1] == 'y') {
		w = w[:len(w)-1]
	}
	return w
}

// stripPlural removes a plural ending: batteries, passes, texts.
func stripPlural(w string) string {
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3]
	case strings.HasSuffix(w, "sses"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

// plainWord reports whether w has only lower-case ASCII letters.
func plainWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
