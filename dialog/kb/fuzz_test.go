package kb

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// FuzzParse feeds arbitrary knowledge base files to Parse. A file is
// either refused with an error wrapping ErrInvalid or gives a base whose
// entries keep the rules Parse documents, that answers questions with
// scores in range, and that parses again to the same entries when written
// back as YAML.
func FuzzParse(f *testing.F) {
	for _, path := range []string{"testdata/telecom.yaml", "testdata/lint.yaml"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "话费余额怎么查")
	}
	for _, s := range hostileYAML {
		f.Add([]byte(s), "how do I check my balance")
	}

	f.Fuzz(func(t *testing.T, data []byte, question string) {
		defer watchdog(10*time.Second, "Parse")()
		start := time.Now()
		b, err := Parse(data)
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("Parse took %v for %d bytes", took, len(data))
		}
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		entries := b.Entries()
		if len(entries) == 0 || b.Len() != len(entries) {
			t.Fatalf("a parsed base has %d entries (Len %d)", len(entries), b.Len())
		}
		seen := map[string]bool{}
		for _, e := range entries {
			switch {
			case e.ID == "" || e.ID != strings.TrimSpace(e.ID):
				t.Fatalf("entry id %q is empty or padded", e.ID)
			case seen[e.ID]:
				t.Fatalf("entry id %q is used twice", e.ID)
			case strings.TrimSpace(e.Question) == "" || strings.TrimSpace(e.Answer) == "":
				t.Fatalf("entry %q has an empty question or answer", e.ID)
			}
			seen[e.ID] = true
			if got, ok := b.Entry(e.ID); !ok || got != e {
				t.Fatalf("Entry(%q) does not find the entry", e.ID)
			}
		}
		for _, q := range []string{question, entries[0].Question} {
			res := b.Match(q)
			if res.Verdict < Unknown || res.Verdict > Answer {
				t.Fatalf("Match(%q): verdict %v", q, res.Verdict)
			}
			for _, c := range res.Candidates {
				if c.Entry == nil || !inUnit(c.Score) || !inUnit(c.Coverage) {
					t.Fatalf("Match(%q): candidate %+v out of range", q, c)
				}
			}
		}

		out, err := yaml.Marshal(file{Synonyms: b.synonyms, Entries: entries})
		if err != nil {
			t.Fatalf("a parsed base does not marshal: %v", err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("a parsed base written back does not parse: %v\n%s", err, out)
		}
		if again.Len() != b.Len() {
			t.Fatalf("round trip: %d entries, want %d", again.Len(), b.Len())
		}
		for i, e := range again.Entries() {
			w := entries[i]
			if e.ID != w.ID || e.Question != w.Question || e.Answer != w.Answer ||
				strings.Join(e.Alternates, "\x00") != strings.Join(w.Alternates, "\x00") {
				t.Fatalf("round trip changed entry %d: %+v, want %+v", i, e, w)
			}
		}
	})
}

// inUnit reports whether x is a number between 0 and 1.
func inUnit(x float64) bool { return !math.IsNaN(x) && x >= 0 && x <= 1+1e-9 }

// hostileYAML are seeds that have broken YAML readers: aliases that grow
// exponentially, deep nesting, huge numbers, NULs, invalid UTF-8 and tags.
var hostileYAML = []string{
	"",
	"entries: []",
	"entries: [null]",
	"entries:\n  - id: \"\\0\"\n    question: \"\\0\"\n    answer: \"\\0\"\n",
	"entries:\n  - id: a\n    question: \xff\xfe\n    answer: \xc3\x28\n",
	"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nentries: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
	"synonyms: &s [[a, b], [c, d]]\nentries:\n  - {id: x, question: a, answer: b, tags: *s}\n",
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	"entries:\n" + strings.Repeat("  - ", 500) + "x\n",
	"entries:\n  - id: 1e99999\n    question: 0x7fffffffffffffffffff\n    answer: .inf\n",
	"entries:\n  - !!binary aGVsbG8=\n",
	"entries:\n  - id: a\n    question: q\n    answer: a\n  - id: ' a '\n    question: q\n    answer: a\n",
	"synonyms: [[a]]\nentries:\n  - {id: a, question: q, answer: a}\n",
	"synonyms: [[a, ' ']]\nentries:\n  - {id: a, question: q, answer: a}\n",
	"entries:\n  - {id: a, question: q, answer: a, alternates: ['', x]}\n",
	"---\nentries: [{id: a, question: q, answer: a}]\n---\nentries: {}\n",
}

// watchdog crashes the process when one input takes longer than d, so the
// fuzzer records a hang as it records a crash. Call the returned stop when
// the input is done.
func watchdog(d time.Duration, what string) (stop func() bool) {
	return time.AfterFunc(d, func() { panic(what + " did not finish within " + d.String()) }).Stop
}
