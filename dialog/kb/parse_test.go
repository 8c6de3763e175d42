package kb

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse_Errors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string // part of the error message
	}{
		{"malformed yaml is rejected", "entries: [", "yaml"},
		{"empty file is rejected", "", "no entries"},
		{"no entries are rejected", "entries: []", "no entries"},
		{"missing id names the position", "entries:\n  - question: 问\n    answer: 答案内容", "entry 1: id is missing"},
		{"duplicate id names both", "entries:\n  - {id: a, question: 问, answer: 答}\n  - {id: a, question: 问二, answer: 答}",
			`entry 2: id "a" is already used by entry 1`},
		{"empty question names the id", "entries:\n  - {id: a, question: ' ', answer: 答}", `entry "a": question is empty`},
		{"empty answer names the id", "entries:\n  - {id: b, question: 问, answer: ''}", `entry "b": answer is empty`},
		{"empty alternate names its index", "entries:\n  - {id: c, question: 问, alternates: [好, ''], answer: 答}",
			`entry "c": alternate 2 is empty`},
		{"one-term synonym group is rejected", "synonyms: [[流量]]\nentries:\n  - {id: a, question: 问, answer: 答}",
			"synonym group 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse error = %v, want ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestParse_Valid(t *testing.T) {
	b, err := Parse([]byte("entries:\n  - {id: ' a ', question: 问题, answer: 答案, extra: ignored}\n"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if e, ok := b.Entry("a"); !ok || e.Question != "问题" {
		t.Errorf("Entry(a) = %v, %v; want the trimmed id to find the entry", e, ok)
	}
}

func TestLoad(t *testing.T) {
	t.Run("missing file names the path", func(t *testing.T) {
		_, err := Load("testdata/nope.yaml")
		if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
			t.Errorf("Load error = %v, want one naming the file", err)
		}
	})
	t.Run("invalid file names the path and entry", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bad.yaml")
		if err := os.WriteFile(path, []byte("entries:\n  - {id: x, question: 问}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `"x"`) {
			t.Errorf("Load error = %v, want ErrInvalid naming %s and entry x", err, path)
		}
	})
}

func TestBase_Accessors(t *testing.T) {
	b := loadTestBase(t)
	if b.Len() != 12 {
		t.Errorf("Len = %d, want 12", b.Len())
	}
	if _, ok := b.Entry("nope"); ok {
		t.Error("Entry(nope) found an entry")
	}
	es := b.Entries()
	if len(es) != b.Len() || es[0].ID != "balance" {
		t.Fatalf("Entries = %d entries starting %q, want 12 starting balance", len(es), es[0].ID)
	}
	es[0] = nil
	if b.Entries()[0] == nil {
		t.Error("changing the slice from Entries changed the base")
	}
}

func TestBase_WithOptions(t *testing.T) {
	b := loadTestBase(t)
	o := DefaultOptions()
	o.AnswerScore, o.SureScore = 1.1, 1.1
	never := b.WithOptions(o)
	if r := never.Match("话费余额怎么查"); r.Verdict != Suggest || topID(r) != "balance" {
		t.Errorf("with unreachable answer scores got %v %q, want suggest balance", r.Verdict, topID(r))
	}
	if r := b.Match("话费余额怎么查"); r.Verdict != Answer {
		t.Errorf("the original base changed: got %v", r.Verdict)
	}
	if never.Options().AnswerScore != 1.1 {
		t.Errorf("Options().AnswerScore = %v, want 1.1", never.Options().AnswerScore)
	}
}

func TestBase_WithOptions_Synonyms(t *testing.T) {
	b := loadTestBase(t)
	if r := b.Match("储物空间"); topID(r) == "cloud" && r.Verdict == Answer {
		t.Fatalf("储物空间 answered cloud before it was a synonym")
	}
	o := DefaultOptions()
	o.Synonyms = [][]string{{"云盘", "储物空间"}}
	if r := b.WithOptions(o).Match("储物空间"); topID(r) != "cloud" || r.Verdict != Answer {
		t.Errorf("with the synonym got %v %q, want answer cloud", r.Verdict, topID(r))
	}
}
