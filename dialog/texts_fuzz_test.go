package dialog

import (
	"os"
	"strings"
	"testing"
)

// FuzzParseTexts reads fuzzed messages files. A file is refused with an
// error, or every text the bot needs has its Chinese wording, and asking
// for any text in any language gives the Chinese one when the language
// has none.
func FuzzParseTexts(f *testing.F) {
	if shipped, err := os.ReadFile("../configs/messages.yaml"); err == nil {
		f.Add(string(shipped))
	}
	f.Add("greeting:\n  zh: 你好\n  en: Hello\n")
	f.Add("greeting: 你好\n")
	f.Add("greeting:\n  zh: \"\"\n")
	f.Add("- a\n- b\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		texts, err := ParseTexts([]byte(text))
		if err != nil {
			return
		}
		for _, k := range append(requiredTexts, ticketTexts...) {
			zh := texts.get(k, "zh")
			if strings.TrimSpace(zh) == "" {
				t.Fatalf("%s has no Chinese text, yet the file was taken", k)
			}
			if en := texts.get(k, "en"); en == "" {
				t.Fatalf("%s in English is empty; want the Chinese text at least", k)
			}
			if other := texts.Text(string(k), "fr"); other != zh {
				t.Fatalf("%s in a language the file lacks = %q, want the Chinese %q", k, other, zh)
			}
		}
	})
}
