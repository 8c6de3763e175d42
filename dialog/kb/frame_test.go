package kb

import (
	"slices"
	"testing"

	"hotline/dialog/textnorm"
)

func frameNames(text string) []string {
	var out []string
	for _, f := range frames(textnorm.Normalize(text), nil) {
		out = append(out, f.word[len(framePrefix):])
	}
	return out
}

func TestFrames(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"a reason", "为啥我的网这么慢", []string{"why"}},
		{"a time", "积分啥时候清零", []string{"when"}},
		{"a place", "发票在哪打印", []string{"where"}},
		{"a way", "副卡怎么办理", []string{"how"}},
		{"a condition", "开通国际漫游有什么要求", []string{"requirement"}},
		{"an amount", "一张身份证可以办几张卡", []string{"amount"}},
		{"a meaning", "光猫上那个灯亮是啥意思", []string{"meaning"}},
		{"english reason", "Why was I charged twice?", []string{"why"}},
		{"english words are whole words", "somewhere whenever", nil},
		{"two frames", "为什么扣费，在哪里查", []string{"why", "where"}},
		{"no frame", "宽带续费", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := frameNames(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("frames(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

// frameBase has siblings that share their subject and differ in the kind
// of answer they give: where to do something, when it happens, why.
const frameBase = `
entries:
  - id: invoice_where
    question: 发票在哪里开？
    alternates: [去哪开发票]
    answer: 在APP的发票专区开具电子发票。
  - id: invoice_when
    question: 发票什么时候能开？
    alternates: [发票几号可以开]
    answer: 每月出账后即可开具上月的发票。
  - id: fee_why
    question: 套餐费为什么变了？
    alternates: [套餐费怎么回事变多了]
    answer: 优惠到期后套餐费恢复原价。
  - id: fee_when
    question: 套餐费什么时候扣？
    alternates: [套餐费几号扣]
    answer: 每月一号扣当月套餐费。
`

func TestBase_Match_Frames(t *testing.T) {
	b, err := Parse([]byte(frameBase))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, want string }{
		{"要开发票，去哪儿弄", "invoice_where"},
		{"上个月的发票啥时候出来", "invoice_when"},
		{"这个月套餐费咋回事", "fee_why"},
		{"套餐费哪天扣啊", "fee_when"},
	}
	for _, tt := range tests {
		r := b.Match(tt.text)
		if topID(r) != tt.want {
			t.Errorf("Match(%q) = %v %q %v, want %q first", tt.text, r.Verdict, topID(r), r.Candidates, tt.want)
		}
	}
}

func TestFrame_NotSpecific(t *testing.T) {
	b, err := Parse([]byte(frameBase))
	if err != nil {
		t.Fatal(err)
	}
	if r := b.Match("为什么"); r.Verdict == Answer {
		t.Errorf("a bare question frame was answered: %v", r.Candidates)
	}
}

// TestFrame_QuestionWordsNotSpecific checks that a message whose only
// word in common with an entry is a question word (几号) is not answered,
// while the same question word beside the entry's subject is.
func TestFrame_QuestionWordsNotSpecific(t *testing.T) {
	b := loadTestBase(t)
	if r := b.Match("今天是几号"); r.Verdict == Answer {
		t.Errorf("a date question was answered with %q", topID(r))
	}
	if r := b.Match("月费几号扣啊"); r.Verdict != Answer || topID(r) != "monthly_fee" {
		t.Errorf("Match(月费几号扣啊) = %v %q, want answer monthly_fee", r.Verdict, topID(r))
	}
}

func TestContainsPhrase(t *testing.T) {
	tests := []struct {
		text, phrase string
		want         bool
	}{
		{"why is it", "why", true}, {"anyhow why", "why", true}, {"whyever", "why", false},
		{"somehow", "how", false}, {"在哪里", "在哪", true}, {"how do i pay", "how do i", true},
	}
	for _, tt := range tests {
		if got := containsPhrase(tt.text, tt.phrase); got != tt.want {
			t.Errorf("containsPhrase(%q, %q) = %v, want %v", tt.text, tt.phrase, got, tt.want)
		}
	}
}

func TestQuestionFrames_Words(t *testing.T) {
	for _, f := range questionFrames {
		if !isFrame(f.word) || len(f.word) <= len(framePrefix) {
			t.Errorf("frame word %q does not start with %q", f.word, framePrefix)
		}
	}
}
