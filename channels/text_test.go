package channels

import "testing"

// CleanText keeps valid text as it is and mends what a store refuses.
func TestCleanText(t *testing.T) {
	cases := map[string]string{
		"你好":           "你好",
		"":             "",
		"a\x00b":       "ab",
		"\xff\xfeok":   "\uFFFDok",
		"\x00\xc3\x28": "\uFFFD(",
		"line\nbreak":  "line\nbreak",
	}
	for in, want := range cases {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}
