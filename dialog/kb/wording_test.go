package kb

import "testing"

// wordingBase has one entry per kind of wording the built-in lexicon
// joins: topping up, going over the allowance, moving house, a damaged
// card, data used up fast and redeeming points.
const wordingBase = `
entries:
  - id: top_up
    question: 怎么给手机充值话费？
    answer: 在APP或营业厅都可以充值。
  - id: overage
    question: 流量超出套餐怎么收费？
    answer: 超出部分按套餐外资费收取。
  - id: move
    question: 搬家了宽带怎么移机？
    answer: 新地址有资源即可申请移机。
  - id: sim
    question: 手机卡坏了怎么补？
    answer: 带身份证到营业厅补卡。
  - id: fast
    question: 流量消耗特别快是为什么？
    answer: 后台应用和热点都会消耗流量。
  - id: redeem
    question: 积分怎么兑换？
    answer: 在积分商城兑换话费或礼品。
`

// TestBuiltin_EverydayWording checks built-in English and colloquial
// wording in sentences of our own.
func TestBuiltin_EverydayWording(t *testing.T) {
	b, err := Parse([]byte(wordingBase))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, want string }{
		{"where can I add credit to this phone", "top_up"},
		{"what if I use more data than my plan gives", "overage"},
		{"we are moving to a new apartment, what about the broadband", "move"},
		{"my sim is damaged", "sim"},
		{"流量怎么跑得这么快", "fast"},
		{"积分能换礼品吗 想换东西", "redeem"},
	}
	for _, tt := range tests {
		if r := b.Match(tt.text); topID(r) != tt.want {
			t.Errorf("Match(%q) = %v %q %v, want %q first", tt.text, r.Verdict, topID(r), r.Candidates, tt.want)
		}
	}
}
