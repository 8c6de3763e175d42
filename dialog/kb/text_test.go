package kb

import (
	"reflect"
	"testing"
)

func TestStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"charges", "charg"}, {"charged", "charg"}, {"charging", "charg"}, {"charge", "charg"},
		{"portability", "port"}, {"porting", "port"}, {"batteries", "batter"}, {"battery", "batter"},
		{"monthly", "month"}, {"pass", "pass"}, {"sim", "sim"}, {"5g", "5g"}, {"can't", "can't"},
	}
	for _, tt := range tests {
		if got := stem(tt.in); got != tt.want {
			t.Errorf("stem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWithinOneEdit(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"balance", "balance", true}, {"balanse", "balance", true}, {"balnce", "balance", true},
		{"ballance", "balance", true}, {"recieve", "receive", true}, {"blanace", "balance", false},
		{"invoice", "voice", false},
	}
	for _, tt := range tests {
		if got := withinOneEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("withinOneEdit(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestMergeGroups(t *testing.T) {
	got := mergeGroups([][]string{{"流量", "data"}, {"话费", "bill"}, {"DATA", "数据流量"}, {"单独"}})
	want := [][]string{{"流量", "data", "数据流量"}, {"话费", "bill"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("mergeGroups = %v, want %v", got, want)
	}
}

func TestLexicon_Apply(t *testing.T) {
	l := newLexicon(nil, DefaultOptions())
	tests := []struct {
		name, text string
		want       string // tokens, stop tokens in brackets
	}{
		{"synonym becomes canonical", "数据流量", "流量"},
		{"english becomes canonical chinese", "top up", "充值"},
		{"stop phrase is marked", "请问流量", "[请][问]流量"},
		{"stop phrase gives way to a term", "现在的话费", "[现][在][的]话费"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(l.apply(tokenizeText(tt.text), nil)); got != tt.want {
				t.Errorf("apply(%q) = %s, want %s", tt.text, got, tt.want)
			}
		})
	}
}

func render(toks []token) string {
	var s string
	for _, t := range toks {
		v := t.word
		if t.han() {
			v = string(t.r)
		}
		if t.stop {
			v = "[" + v + "]"
		}
		s += v
	}
	return s
}

func TestLexicon_DeterminerInsideTerm(t *testing.T) {
	l := newLexicon([][]string{{"呼叫转移", "forward calls"}}, Options{})
	for _, text := range []string{"forward calls", "forward my calls", "forward all the calls"} {
		got := l.apply(tokenizeText(text), nil)
		han := 0
		for _, tok := range got {
			if tok.han() {
				han++
			}
		}
		want := 4
		if text == "forward all the calls" {
			want = 0 // all is not a determiner: the term does not match
		}
		if han != want {
			t.Errorf("apply(%q) = %v, want %d Chinese tokens", text, got, want)
		}
	}
	if got := l.apply(tokenizeText("forward my"), nil); len(got) != 2 || got[0].han() {
		t.Errorf("a determiner at the end must not complete a term: %v", got)
	}
}
