package kb

import (
	"slices"
	"testing"
)

func TestClauses(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"one clause", "流量怎么查", []string{"流量怎么查"}},
		{"chinese clauses", "我在外地 流量怎么查", []string{"我在外地", "流量怎么查"}},
		{"english words stay together", "how do i check my data", []string{"how do i check my data"}},
		{"mixed text splits only between chinese", "我的wifi 密码忘了 怎么改", []string{"我的wifi 密码忘了", "怎么改"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clauses(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("clauses(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAsks(t *testing.T) {
	for text, want := range map[string]bool{
		"流量怎么查":   true,
		"能退吗":     true,
		"还剩多少":    true,
		"我下个月要出国": false,
		"谢谢你们":    false,
	} {
		if got := asks(text); got != want {
			t.Errorf("asks(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestBase_Match_QuestionClause checks that a question told inside a long
// story is answered from the clause that asks it.
func TestBase_Match_QuestionClause(t *testing.T) {
	b := loadTestBase(t)
	story := "我在老家住了大半年，一直没怎么用手机，今天孩子打电话说联系不上我，我这个号话费还剩多少啊，麻烦看一下"
	if full := b.matchText(story); full.Verdict == Answer {
		t.Fatalf("the story is answered as a whole (%v); the test needs one that is not", full.Candidates)
	}
	if r := b.Match(story); r.Verdict != Answer || topID(r) != "balance" {
		t.Errorf("Match(story) = %v %q, want answer balance", r.Verdict, topID(r))
	}
}

// TestBase_matchClauses_Disagree checks that question clauses answered
// with an entry other than the whole message's first candidate, or a
// whole message without a lead, confirm nothing.
func TestBase_matchClauses_Disagree(t *testing.T) {
	b := loadTestBase(t)
	balance, _ := b.Entry("balance")
	data, _ := b.Entry("data_left")
	full := Result{Verdict: Suggest, Candidates: []Candidate{{Entry: balance, Score: 0.4}, {Entry: data, Score: 0.3}}}
	text := "我在外地出差，流量还剩多少，话费余额怎么查"
	if r, ok := b.matchClauses(text, full); ok {
		t.Errorf("matchClauses(%q) = %q; clauses naming two entries must not confirm one", text, topID(r))
	}
	tie := Result{Verdict: Suggest, Candidates: []Candidate{{Entry: balance, Score: 0.4}, {Entry: data, Score: 0.39}}}
	text = "我在外地出差，话费余额怎么查"
	if r, ok := b.matchClauses(text, tie); ok {
		t.Errorf("matchClauses(%q) = %q; a near tie must not be confirmed", text, topID(r))
	}
	lead := Result{Verdict: Suggest, Candidates: []Candidate{{Entry: balance, Score: 0.4}, {Entry: data, Score: 0.3}}}
	if r, ok := b.matchClauses(text, lead); !ok || topID(r) != "balance" {
		t.Errorf("matchClauses(%q) = %q %v, want balance confirmed", text, topID(r), ok)
	}
}
