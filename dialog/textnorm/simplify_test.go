package textnorm

import (
	"testing"
	"unicode/utf8"
)

func TestSimplify(t *testing.T) {
	tests := []struct {
		in, want rune
	}{
		{'話', '话'}, {'費', '费'}, {'餘', '余'}, {'號', '号'}, {'攜', '携'},
		{'话', '话'}, {'a', 'a'}, {'龜', '龟'}, {'並', '并'},
	}
	for _, tt := range tests {
		if got := Simplify(tt.in); got != tt.want {
			t.Errorf("Simplify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTable checks the invariants Simplify's binary search relies on.
func TestTable(t *testing.T) {
	if len(tradChars) != len(simpChars) || len(tradChars)%3 != 0 {
		t.Fatalf("table lengths %d and %d are not equal multiples of 3", len(tradChars), len(simpChars))
	}
	if n := utf8.RuneCountInString(tradChars); n*3 != len(tradChars) {
		t.Fatalf("traditional characters are not all three bytes long")
	}
	if n := utf8.RuneCountInString(simpChars); n*3 != len(simpChars) {
		t.Fatalf("simplified characters are not all three bytes long")
	}

	var prev rune
	for i := 0; i < len(tradChars); i += 3 {
		tr, sr := decode3(tradChars, i), decode3(simpChars, i)
		if tr <= prev {
			t.Errorf("%q at %d is out of order after %q", tr, i/3, prev)
		}
		if tr == sr {
			t.Errorf("%q maps to itself", tr)
		}
		if Simplify(sr) != sr {
			t.Errorf("%q maps to %q, which maps on to %q", tr, sr, Simplify(sr))
		}
		prev = tr
	}
}
