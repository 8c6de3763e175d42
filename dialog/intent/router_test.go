package intent

import (
	"errors"
	"strings"
	"testing"
)

// mechanisms is a phrase file that exercises each kind of rule.
const mechanisms = `
lists:
  thing: [宽带, wifi]
  broken: [断了, 不能用, down, disconnect*]
  asking: [多久, how long]
filler: [啊, 吧, please]
intents:
  - name: agent
    whole: [人工, agent]
    phrases: [转人工]
    unless: [几点]
  - name: status
    patterns: ['tk\d{6,}']
  - name: fault
    combos:
      - all: [$thing, $broken]
        within: 16
    unless: [$asking]
`

func TestRouter_Route_Mechanisms(t *testing.T) {
	r, err := ParseRouter([]byte(mechanisms))
	if err != nil {
		t.Fatalf("ParseRouter: %v", err)
	}
	tests := []struct {
		name, text string
		want       Name
	}{
		{"whole phrase alone matches", "人工", Agent},
		{"whole phrase with filler matches", "人工啊！！", Agent},
		{"whole phrase in a sentence does not match", "人工客服好难找", None},
		{"whole english phrase matches case-insensitively", "Agent please", Agent},
		{"phrase matches anywhere", "帮我转人工吧", Agent},
		{"exclusion blocks a phrase", "转人工几点上班", None},
		{"exclusion does not block a whole phrase", "人工", Agent},
		{"pattern matches a ticket number", "查一下TK2026051234", Status},
		{"pattern needs enough digits", "TK12", None},
		{"combo matches close terms", "家里宽带断了", Fault},
		{"combo matches in either order", "断了好几次的宽带", Fault},
		{"combo needs every group", "宽带怎么办理", None},
		{"combo respects the window", "宽带上个月办的，今天早上家里的电视也断了", None},
		{"list exclusion blocks a combo", "宽带断了多久能修", None},
		{"english terms match whole words", "my wifi is down", Fault},
		{"english terms do not match inside words", "wifi download speed", None},
		{"prefix term matches a longer word", "wifi disconnected again", Fault},
		{"traditional characters are folded", "寬帶斷了", Fault},
		{"empty text has no intent", "  ", None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Route(tt.text); got != tt.want {
				t.Errorf("Route(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestParseRouter_Errors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"malformed yaml", "intents: [", "yaml"},
		{"no intents", "lists: {a: [b]}", "no intents"},
		{"unknown key", "intents: [{name: a, phrase: [x]}]", "phrase"},
		{"missing name", "intents: [{phrases: [x]}]", "intent 1: name is missing"},
		{"duplicate name", "intents: [{name: a, phrases: [x]}, {name: a, phrases: [y]}]", `"a" is listed twice`},
		{"no rules", "intents: [{name: a}]", "no whole, phrases, combos or patterns"},
		{"unknown list", "intents: [{name: a, phrases: [$nope]}]", "unknown list $nope"},
		{"circular list", "lists: {a: [$b], b: [$a]}\nintents: [{name: x, phrases: [$a]}]", "refers to itself"},
		{"one-group combo", "intents: [{name: a, combos: [{all: [x]}]}]", "at least two groups"},
		{"bad pattern", "intents: [{name: a, patterns: ['(']}]", "pattern 1"},
		{"empty term", "intents: [{name: a, phrases: ['  ']}]", "a term is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRouter([]byte(tt.yaml))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseRouter error = %v, want ErrInvalid containing %q", err, tt.want)
			}
		})
	}
}

func TestLoadRouter_MissingFile(t *testing.T) {
	_, err := LoadRouter("testdata/nope.yaml")
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("LoadRouter error = %v, want one naming the file", err)
	}
}

func TestRouter_Names(t *testing.T) {
	r, err := ParseRouter([]byte(mechanisms))
	if err != nil {
		t.Fatal(err)
	}
	got := r.Names()
	if len(got) != 3 || got[0] != Agent || got[2] != Fault {
		t.Errorf("Names = %v, want [agent status fault]", got)
	}
}
