package intent

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzParseRouter feeds arbitrary phrase files to ParseRouter. A file is
// either refused with an error wrapping ErrInvalid, quickly, or gives a
// router whose names are the file's intents and whose Route answers one
// of them or None.
func FuzzParseRouter(f *testing.F) {
	shipped, err := os.ReadFile("../../configs/intents.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(shipped, "宽带断了，一直连不上")
	f.Add([]byte(mechanisms), "转人工")
	for _, s := range hostileRouters() {
		f.Add([]byte(s), "x")
	}

	f.Fuzz(func(t *testing.T, data []byte, text string) {
		defer watchdog(10*time.Second, "ParseRouter")()
		start := time.Now()
		r, err := ParseRouter(data)
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("ParseRouter took %v for %d bytes", took, len(data))
		}
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		names := r.Names()
		if len(names) == 0 {
			t.Fatal("a parsed router has no intents")
		}
		for _, n := range names {
			if n == None {
				t.Fatalf("an intent is named like None: %v", names)
			}
		}
		for _, s := range []string{text, string(data)} {
			start := time.Now()
			got := r.Route(s)
			if took := time.Since(start); took > time.Second {
				t.Fatalf("Route took %v", took)
			}
			if got != None && !slices.Contains(names, got) {
				t.Fatalf("Route(%q) = %q, not one of %v", s, got, names)
			}
		}
	})
}

// Lists that refer to other lists twice double at each step: forty steps
// would be a trillion terms. The file is refused, at once, naming the cause.
func TestParseRouter_ListsThatMultiply(t *testing.T) {
	start := time.Now()
	_, err := ParseRouter([]byte(listBomb(40)))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("err = %v, want the term limit", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("refusing took %v", took)
	}
	if _, err := ParseRouter([]byte(listBomb(10))); err != nil {
		t.Fatalf("a thousand terms refused: %v", err)
	}
}

// listBomb is a phrase file whose list l<n> expands to 2^(n+1) terms.
func listBomb(n int) string {
	var b strings.Builder
	b.WriteString("lists:\n  l0: [a, b]\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  l%d: [$l%d, $l%d]\n", i, i-1, i-1)
	}
	fmt.Fprintf(&b, "intents:\n  - name: fault\n    phrases: [$l%d]\n", n)
	return b.String()
}

// hostileRouters are phrase files that grow when expanded, nest deeply,
// compile costly patterns or hold bytes a reader may choke on.
func hostileRouters() []string {
	return []string{
		"",
		"intents: []",
		"intents: [{name: a}]",
		"intents: [{name: a, phrases: [x]}, {name: a, phrases: [y]}]",
		"lists: {a: [$b], b: [$a]}\nintents: [{name: x, phrases: [$a]}]",
		"lists: {a: [$a]}\nintents: [{name: x, phrases: [q]}]",
		listBomb(40),
		"intents: [{name: x, patterns: ['((a*)*)*b', '(?i)\\x00', 'a{1000}{1000}']}]",
		"intents: [{name: x, combos: [{all: [a, b], within: -9223372036854775808}]}]",
		"intents: [{name: x, combos: [{all: [a, b], within: 99999999999999999999}]}]",
		"intents: [{name: x, combos: [{all: [[a, $nope], b]}]}]",
		"intents: [{name: \"\\0\", whole: [\"\\0\"], phrases: [\"\\xff\"]}]",
		"intents: [{name: \xff, phrases: [\xfe*]}]",
		"filler: [' ', '*']\nintents: [{name: x, whole: ['*', ' * ']}]",
		strings.Repeat("[", 5000),
	}
}

// watchdog crashes the process when one input takes longer than d, so the
// fuzzer records a hang as it records a crash. Call the returned stop when
// the input is done.
func watchdog(d time.Duration, what string) (stop func() bool) {
	return time.AfterFunc(d, func() { panic(what + " did not finish within " + d.String()) }).Stop
}
