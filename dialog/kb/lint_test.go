package kb

import (
	"strings"
	"testing"
)

func TestLint(t *testing.T) {
	b, err := Load("testdata/lint.yaml")
	if err != nil {
		t.Fatal(err)
	}
	problems := Lint(b)
	tests := []struct {
		name, entry, message string
	}{
		{"short answer is reported", "short", "answer is very short"},
		{"phrasing shared by two entries is reported", "topup_copy", `"怎么交话费" is also a phrasing of topup`},
		{"entries too close to tell apart are reported", "topup", "topup_copy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range problems {
				if p.EntryID == tt.entry && strings.Contains(p.Message, tt.message) {
					return
				}
			}
			t.Errorf("no problem for %s containing %q in %v", tt.entry, tt.message, problems)
		})
	}
	t.Run("clean entry is not reported", func(t *testing.T) {
		for _, p := range problems {
			if p.EntryID == "clean" {
				t.Errorf("unexpected problem %v", p)
			}
		}
	})
}

func TestLint_TestBaseIsClean(t *testing.T) {
	if problems := Lint(loadTestBase(t)); len(problems) != 0 {
		t.Errorf("Lint(testdata/telecom.yaml) = %v, want none", problems)
	}
}
