package sms

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCount(t *testing.T) {
	hz := func(n int) string { return strings.Repeat("好", n) }
	az := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name      string
		text, sig string
		want      Segments
	}{
		{"empty", "", "", Segments{GSM7, 0, 0}},
		{"70 hanzi", hz(70), "", Segments{UCS2, 70, 1}},
		{"71 hanzi", hz(71), "", Segments{UCS2, 71, 2}},
		{"134 hanzi", hz(134), "", Segments{UCS2, 134, 2}},
		{"135 hanzi", hz(135), "", Segments{UCS2, 135, 3}},
		// 160 → 67 + 67 + 26.
		{"160 hanzi", hz(160), "", Segments{UCS2, 160, 3}},
		{"500 hanzi", hz(500), "", Segments{UCS2, 500, 8}},
		// 【中国电信】 is 6 units.
		{"signature + 64 hanzi", hz(64), "中国电信", Segments{UCS2, 70, 1}},
		{"signature + 65 hanzi", hz(65), "中国电信", Segments{UCS2, 71, 2}},
		{"bracketed signature as given", hz(64), "【中国电信】", Segments{UCS2, 70, 1}},
		{"signature spaces ignored", hz(64), " 中国电信 ", Segments{UCS2, 70, 1}},
		{"signature alone", "", "中国电信", Segments{UCS2, 6, 1}},
		{"mixed hanzi and ascii", "您的验证码是1234，5分钟内有效。", "", Segments{UCS2, 18, 1}},
		{"full-width punctuation", "！？，。", "", Segments{UCS2, 4, 1}},
		{"160 ascii", az(160), "", Segments{GSM7, 160, 1}},
		{"161 ascii", az(161), "", Segments{GSM7, 161, 2}},
		{"306 ascii", az(306), "", Segments{GSM7, 306, 2}},
		{"307 ascii", az(307), "", Segments{GSM7, 307, 3}},
		{"euro counts two", az(159) + "€", "", Segments{GSM7, 161, 2}},
		{"euro at limit", az(158) + "€", "", Segments{GSM7, 160, 1}},
		{"extension chars", "|^€{}[]~\\\f", "", Segments{GSM7, 20, 1}},
		{"gsm basic non-ascii", "Ça va, Müller? 5€", "", Segments{GSM7, 18, 1}},
		{"gsm greek and signs", "ΔΦΓΛΩΠΨΣΘΞ £¥§¿¡@$_", "", Segments{GSM7, 19, 1}},
		{"crlf is gsm", "a\r\nb", "", Segments{GSM7, 4, 1}},
		{"emoji switches to ucs2", "hello 😀", "", Segments{UCS2, 8, 1}},
		{"emoji in 69 units", az(68) + "😀", "", Segments{UCS2, 70, 1}},
		{"emoji past 70 units", az(69) + "😀", "", Segments{UCS2, 71, 2}},
		{"grave accent is not gsm", "a`b", "", Segments{UCS2, 3, 1}},
		{"tab is not gsm", "a\tb", "", Segments{UCS2, 3, 1}},
		{"accent outside gsm", "crème brûlée", "", Segments{UCS2, 12, 1}},
		// [ and ] are extension characters: [Hotline] is 7 + 2×2 septets.
		{"ascii signature brackets", "", "Hotline", Segments{GSM7, 11, 1}},
		{"ascii signature + text", az(149), "Hotline", Segments{GSM7, 160, 1}},
		{"ascii signature + longer text", az(150), "Hotline", Segments{GSM7, 161, 2}},
		{"ascii signature already bracketed", "hi", "[Hotline]", Segments{GSM7, 13, 1}},
		// The text decides UCS-2; the signature keeps its [] and counts 9.
		{"ascii signature, chinese text", "你好", "Hotline", Segments{UCS2, 11, 1}},
		{"chinese signature, ascii text", "hello", "酒店", Segments{UCS2, 9, 1}},
		{"invalid utf-8 is ucs2", "a\xffb", "", Segments{UCS2, 3, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Count(tt.text, tt.sig); got != tt.want {
				t.Errorf("Count(%q, %q) = %+v, want %+v", tt.text, tt.sig, got, tt.want)
			}
		})
	}
}

func TestFitPartsUnchanged(t *testing.T) {
	long := strings.Repeat("好", 300)
	for _, tt := range []struct {
		text  string
		parts int
	}{
		{"", 1},
		{strings.Repeat("好", 64), 1},
		{long, 0},
		{long, -1},
		{long, 5},
	} {
		got, cut := FitParts(tt.text, "中国电信", tt.parts)
		if cut || got != tt.text {
			t.Errorf("FitParts(%d runes, %d) = %d runes, %v; want unchanged", utf8.RuneCountInString(tt.text), tt.parts, utf8.RuneCountInString(got), cut)
		}
	}
}

func TestFitPartsChinese(t *testing.T) {
	text := strings.Repeat("好", 200)
	got, cut := FitParts(text, "中国电信", 1)
	// 70 - 6 for 【中国电信】 - 1 for the ellipsis.
	want := strings.Repeat("好", 63) + "…"
	if !cut || got != want {
		t.Fatalf("FitParts = %q, %v; want %q, true", got, cut, want)
	}
	if s := Count(got, "中国电信"); s.Parts != 1 || s.Units != 70 {
		t.Errorf("Count(result) = %+v", s)
	}

	got, cut = FitParts(text, "中国电信", 2)
	want = strings.Repeat("好", 134-6-1) + "…"
	if !cut || got != want {
		t.Errorf("two parts: got %d runes, %v; want %d runes", utf8.RuneCountInString(got), cut, utf8.RuneCountInString(want))
	}
}

func TestFitPartsPrefersSentenceEnd(t *testing.T) {
	// The longest fit is 69 runes; a sentence end after rune 61 is within
	// the last fifth, so the cut goes there.
	text := strings.Repeat("好", 60) + "。" + strings.Repeat("坏", 100)
	got, cut := FitParts(text, "", 1)
	if want := strings.Repeat("好", 60) + "。…"; !cut || got != want {
		t.Errorf("got %q, %v; want %q", got, cut, want)
	}

	// A sentence end too early is ignored.
	text = strings.Repeat("好", 30) + "。" + strings.Repeat("坏", 100)
	got, _ = FitParts(text, "", 1)
	if want := strings.Repeat("好", 30) + "。" + strings.Repeat("坏", 38) + "…"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}

	// A line break, and the trailing white space before it, is dropped
	// in favour of the ellipsis.
	text = strings.Repeat("好", 62) + " \n" + strings.Repeat("坏", 100)
	got, _ = FitParts(text, "", 1)
	if want := strings.Repeat("好", 62) + "…"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}

	// An ASCII full stop counts only when a space follows it.
	text = strings.Repeat("a", 140) + ". " + strings.Repeat("b", 100)
	got, _ = FitParts(text, "", 1)
	if want := strings.Repeat("a", 140) + "...."; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
	text = strings.Repeat("a", 140) + "3.14" + strings.Repeat("b", 100)
	got, _ = FitParts(text, "", 1)
	if want := text[:157] + "..."; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
}

func TestFitPartsGSM(t *testing.T) {
	got, cut := FitParts(strings.Repeat("a", 200), "", 1)
	if want := strings.Repeat("a", 157) + "..."; !cut || got != want {
		t.Errorf("got %q, %v; want %q", got, cut, want)
	}
	if s := Count(got, ""); s.Encoding != GSM7 || s.Parts != 1 {
		t.Errorf("Count(result) = %+v", s)
	}
	// With an ASCII signature: [Hotline] is 11 septets.
	got, _ = FitParts(strings.Repeat("a", 400), "Hotline", 2)
	if want := strings.Repeat("a", 306-11-3) + "..."; got != want {
		t.Errorf("got %d runes; want %d", len(got), len(want))
	}
	// An extension character is never split from its escape: it is
	// counted whole or left out.
	got, _ = FitParts(strings.Repeat("{", 100), "", 1)
	if want := strings.Repeat("{", 78) + "..."; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
}

func TestFitPartsKeepsCharactersWhole(t *testing.T) {
	got, cut := FitParts(strings.Repeat("😀", 100), "", 1)
	// 34 emoji are 68 units, plus 1 for the ellipsis.
	if want := strings.Repeat("😀", 34) + "…"; !cut || got != want {
		t.Errorf("got %q, %v; want %q", got, cut, want)
	}

	// A skin-tone modifier stays with its emoji.
	got, _ = FitParts("xxx"+strings.Repeat("👍🏽", 40), "", 1)
	body := strings.TrimSuffix(got, "…")
	if !strings.HasSuffix(body, "👍🏽") || Count(got, "").Parts != 1 {
		t.Errorf("got %q", got)
	}

	// Flags are cut between pairs only.
	got, _ = FitParts("xx"+strings.Repeat("🇨🇳", 40), "", 1)
	body = strings.TrimSuffix(got, "…")
	if n := utf8.RuneCountInString(body); n%2 != 0 || n < 30 {
		t.Errorf("flag split: %d runes in %q", n, body)
	}

	// A combining accent stays with its letter.
	got, _ = FitParts("好好"+strings.Repeat("e\u0301", 60), "", 1)
	body = strings.TrimSuffix(got, "…")
	if !strings.HasSuffix(body, "e\u0301") {
		t.Errorf("combining mark split: %q", body)
	}

	// Invalid input bytes do not survive a cut.
	got, cut = FitParts(strings.Repeat("好\xff", 100), "", 1)
	if !cut || !utf8.ValidString(got) || Count(got, "").Parts != 1 {
		t.Errorf("got %q, %v", got, cut)
	}
}

func TestFitPartsSignatureTooLong(t *testing.T) {
	got, cut := FitParts("你好", strings.Repeat("长", 70), 1)
	if got != "" || !cut {
		t.Errorf("got %q, %v; want empty, true", got, cut)
	}
}

func TestFitPartsRandom(t *testing.T) {
	pool := []string{
		"a", "Z", "7", " ", ".", ". ", "\n", "{", "€", "é", "Δ", "`",
		"好", "。", "！", "，", "😀", "👍🏽", "👨\u200d👩\u200d👧", "🇨🇳", "e\u0301", "\u3000",
	}
	sigs := []string{"", "中国电信", "Hotline", "[Hotline]", "【酒店】"}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		n := rng.Intn(400)
		for j := 0; j < n; j++ {
			b.WriteString(pool[rng.Intn(len(pool))])
		}
		text := b.String()
		sig := sigs[rng.Intn(len(sigs))]
		parts := 1 + rng.Intn(4)
		got, cut := FitParts(text, sig, parts)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 from %q: %q", text, got)
		}
		if c := Count(got, sig); c.Parts > parts {
			t.Fatalf("FitParts(%q, %q, %d) = %q takes %+v", text, sig, parts, got, c)
		}
		if !cut {
			if got != text {
				t.Fatalf("uncut result differs: %q vs %q", got, text)
			}
			continue
		}
		if Count(text, sig).Parts <= parts {
			t.Fatalf("cut a text that fits: %q", text)
		}
		body := strings.TrimSuffix(strings.TrimSuffix(got, "…"), "...")
		if body == got || !strings.HasPrefix(text, body) {
			t.Fatalf("result %q is not a prefix of %q plus an ellipsis", got, text)
		}
	}
}
