package textnorm

import "testing"

func TestPhraseFind(t *testing.T) {
	tests := []struct {
		phrase string
		prefix bool
		text   string
		want   int
	}{
		{"no", false, "no signal", 0},
		{"no", false, "now it works", -1},
		{"no", false, "i have no signal", 7},
		{"disconnect", true, "it disconnected again", 3},
		{"disconnect", false, "it disconnected again", -1},
		{"断网", false, "宽带断网了", 6},
		{"wifi", false, "家里WiFi连不上", 6}, // an English word between Chinese characters
		{"wifi", false, "wifis", -1},
		{"4G", false, "手机4g很慢", 6},
	}
	for _, tt := range tests {
		p, ok := NewPhrase(tt.phrase, tt.prefix)
		if !ok {
			t.Fatalf("NewPhrase(%q) = false", tt.phrase)
		}
		if got := p.Find(Normalize(tt.text), 0); got != tt.want {
			t.Errorf("%q in %q: Find = %d, want %d", tt.phrase, tt.text, got, tt.want)
		}
	}
	if _, ok := NewPhrase("  ", false); ok {
		t.Error("a blank phrase was accepted")
	}
}
