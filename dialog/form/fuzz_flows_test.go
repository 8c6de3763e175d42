package form

import (
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary flows files to Parse. A file is refused with
// an error or gives flows that each have a name and slots and that can be
// started, answered and summarised without a panic, quickly.
func FuzzParse(f *testing.F) {
	for _, path := range []string{shippedPath, "testdata/mini.yaml"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "宽带坏了 13812345678")
	}
	for _, s := range hostileFlows {
		f.Add([]byte(s), "跳过")
	}

	f.Fuzz(func(t *testing.T, data []byte, text string) {
		stop := time.AfterFunc(10*time.Second, func() { panic("a flows file took over 10s") })
		defer stop.Stop()
		fs, err := Parse(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a reason")
			}
			return
		}
		if len(fs.flows) == 0 {
			t.Fatal("parsed flows file has no flows")
		}
		seen := map[string]bool{}
		for _, fl := range fs.flows {
			if fl.Name == "" || seen[fl.Name] || len(fl.Slots) == 0 {
				t.Fatalf("flow %q: duplicate, unnamed or without slots", fl.Name)
			}
			seen[fl.Name] = true
			if got, ok := fs.Flow(fl.Name); !ok || got != fl {
				t.Fatalf("Flow(%q) does not find the flow", fl.Name)
			}
			p, out := fl.Start("fuzz", text, LangZh)
			for range len(fl.Slots) + 2 {
				if out.Result == Complete {
					break
				}
				out = fl.Answer(&p, text, "", LangEn)
				if out.Result < Next || out.Result > Complete {
					t.Fatalf("flow %q: result %v out of range", fl.Name, out.Result)
				}
			}
			for name, v := range p.Answers {
				if !utf8.ValidString(v) {
					t.Fatalf("flow %q slot %s: answer %q is not UTF-8", fl.Name, name, v)
				}
			}
			_ = fl.Summary(p, LangZh, true)
		}
		_ = fs.Menu(LangEn)
		_, _ = fs.Detect(text)
		_, _ = fs.Choose(text, "")
	})
}

// hostileFlows are flows files that nest, alias, overflow or hold bytes a
// reader may choke on.
var hostileFlows = []string{
	"",
	"flows: []",
	"flows: [{}]",
	"slots: &s {a: *s}\nflows: []",
	"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"slots: {s: {words: *c}}\n",
	"formats: {m: {pattern: '(((a+)+)+)+$', description: {zh: x}}}\nflows: []",
	"formats: {m: {pattern: '\\x00[', description: {zh: \"\\0\"}}}",
	"flows: [{name: a, kind: fault, title: {zh: x}, max_failures: 99999999999999999999, slots: [{name: s, type: text, label: {zh: x}, prompt: {zh: x}, reprompt: {zh: x}, max_length: -1}]}]",
	"flows: [{name: \xff, kind: fault, title: {zh: \xfe}, slots: [{use: nope}]}]",
	strings.Repeat("{a: ", 3000) + strings.Repeat("}", 3000),
}
