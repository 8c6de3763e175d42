package kb

import (
	"os"
	"slices"
	"testing"
)

// precisionBase is a small knowledge base of our own in which several
// entries share a topic word (流量) and two are siblings (how to report a
// repair, how long it takes), for the precision rules.
const precisionBase = `
entries:
  - id: data_left
    question: 怎么查这个月剩下多少流量？
    alternates: [流量用了多少怎么看]
    answer: 打开APP首页的流量卡片即可查看已用和剩余流量。
  - id: data_pack
    question: 流量不够用，怎么加一个流量包？
    alternates: [流量包在哪订]
    answer: 在APP办理页选择流量包订购，立即生效。
  - id: data_slow
    question: 流量用超以后网速为什么变慢了？
    answer: 部分套餐高速流量用完后会降速，次月恢复。
  - id: shop_hours
    question: 营业厅几点开门？
    alternates: [营业厅周末上班吗, 附近的营业厅在哪里]
    answer: 营业厅一般每天九点到十八点营业，节假日时间以门店公告为准。
  - id: modem_lights
    question: 光猫上的指示灯是什么意思？
    alternates: [what do the lights on the modem mean]
    answer: 电源灯常亮为正常，光信号灯亮红说明光纤线路异常。
  - id: repair_how
    question: 宽带坏了怎么报修？
    alternates: [宽带报修打哪个电话, 宽带报修在哪里提交]
    answer: 拨打10000或在APP故障报修里提交，写明宽带账号和故障现象。
  - id: repair_time
    question: 宽带报修以后多久能修好？
    alternates: [宽带报修后师傅多久上门, 宽带报修要等几天]
    answer: 受理后师傅会电话预约，城市一般48小时内修复。
  - id: new_card
    question: 办卡要带什么证件？
    answer: 本人带身份证原件到营业厅即可办理。
  - id: data_code
    question: 怎么用短信开通流量提醒？
    answer: 编辑短信KTLL发送到10001即可开通流量余量提醒，发送QXLL取消。
  - id: plan_fee
    question: 套餐月租多少钱？
    alternates: [每个月的套餐费是多少]
    answer: 月租以您办理的套餐为准，可在APP我的套餐里查看。
`

func loadPrecisionBase(t *testing.T) *Base {
	t.Helper()
	b, err := Parse([]byte(precisionBase))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return b
}

func TestOptions_Verdict_MarginAlways(t *testing.T) {
	o := DefaultOptions()
	if o.SureScore <= 1 {
		t.Fatalf("default SureScore %v can be reached: a near-tie of high scores would answer", o.SureScore)
	}
	for _, top := range []float64{0.5, 0.7, 0.95} {
		if v := o.verdict(top, top-o.AnswerMargin/2); v != Suggest {
			t.Errorf("verdict(%v, a near-tie) = %v, want suggest", top, v)
		}
	}
}

func TestOptions_Covered(t *testing.T) {
	o := DefaultOptions()
	tests := []struct {
		name     string
		v        Verdict
		coverage float64
		want     Verdict
	}{
		{"well covered answer stays", Answer, 0.8, Answer},
		{"poorly covered answer suggests", Answer, o.AnswerCoverage - 0.01, Suggest},
		{"barely covered answer is unknown", Answer, o.SuggestCoverage - 0.01, Unknown},
		{"covered suggestion stays", Suggest, o.AnswerCoverage, Suggest},
		{"unknown stays unknown", Unknown, 1, Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := o.covered(tt.v, tt.coverage); got != tt.want {
				t.Errorf("covered(%v, %v) = %v, want %v", tt.v, tt.coverage, got, tt.want)
			}
		})
	}
}

func TestBase_Match_Precision(t *testing.T) {
	b := loadPrecisionBase(t)
	tests := []struct {
		name, text string
		not        Verdict // the verdict the message must not get
	}{
		{"a topic word shared by entries is not answered", "流量", Answer},
		{"a question about something the entry lacks is not answered", "营业厅边上那家超市卖不卖充电宝", Answer},
		{"generic english words match nothing", "what does it mean", Suggest},
		{"a question frame with an unknown subject matches nothing", "what is the meaning of life", Suggest},
		{"a real word is not corrected into another", "what happens at night", Suggest},
		{"english stop words alone match nothing", "how do I do this", Suggest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.Match(tt.text)
			if r.Verdict >= tt.not {
				t.Errorf("Match(%q) = %v %v, want below %v", tt.text, r.Verdict, r.Candidates, tt.not)
			}
		})
	}
}

func TestBase_Match_Recall(t *testing.T) {
	b := loadPrecisionBase(t)
	tests := []struct {
		name, text, want string
	}{
		{"own question still answers", "营业厅几点开门", "shop_hours"},
		{"a character of the same kind matches (开 for 办)", "开卡要带什么证件", "new_card"},
		{"chatter around the question is not held against it", "今天早上急死了，我想知道营业厅几点开门", "shop_hours"},
		{"a sibling's distinguishing word decides", "宽带报修要多久才能修好", "repair_time"},
		{"the other sibling's word decides too", "宽带坏了打哪个电话报修", "repair_how"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.Match(tt.text)
			if r.Verdict != Answer || topID(r) != tt.want {
				t.Errorf("Match(%q) = %v %q %v, want answer %q", tt.text, r.Verdict, topID(r), r.Candidates, tt.want)
			}
		})
	}
}

func TestBase_Match_AnswerCode(t *testing.T) {
	b := loadPrecisionBase(t)
	if r := b.Match("KTLL这个指令是干什么的"); topID(r) != "data_code" {
		t.Errorf("a code named only in an answer: got %v %q %v, want data_code first", r.Verdict, topID(r), r.Candidates)
	}
}

func TestBase_Match_Coverage(t *testing.T) {
	b := loadPrecisionBase(t)
	full, _ := b.Match("营业厅几点开门").Top()
	part, _ := b.Match("营业厅旁边的面馆几点开门").Top()
	if full.Coverage < 0.9 || full.Coverage > 1 {
		t.Errorf("coverage of an entry's own question = %v, want about 1", full.Coverage)
	}
	if part.Coverage >= full.Coverage || part.Coverage <= 0 {
		t.Errorf("coverage with an unexplained subject = %v, want between 0 and %v", part.Coverage, full.Coverage)
	}
}

func TestIndex_Siblings(t *testing.T) {
	b := loadPrecisionBase(t)
	x := b.idx
	how, when := int32(b.byID["repair_how"]), int32(b.byID["repair_time"])
	if !slices.Contains(x.sibs[when], how) || !slices.Contains(x.sibs[how], when) {
		t.Fatalf("repair_how and repair_time are not siblings: %v %v", x.sibs[how], x.sibs[when])
	}
	term := func(a, c rune) int32 { return x.grams[bigramKey(a, c)] }
	if !x.hasDistinct(when, term('多', '久')) || x.hasDistinct(how, term('多', '久')) {
		t.Error("多久 should distinguish repair_time from repair_how")
	}
	if x.hasDistinct(when, term('宽', '带')) || x.hasDistinct(how, term('宽', '带')) {
		t.Error("宽带, shared by both, distinguishes neither")
	}
}

func TestRealWordIsNotCorrected(t *testing.T) {
	words := []string{"light", "balanc"}
	typos := typoIndex(words)
	first := func(a, b int32) bool { return a < b }
	if got := nearestWord(stem("night"), typos, words, first); got >= 0 {
		t.Errorf("night was corrected to %q", words[got])
	}
	if got := nearestWord(stem("balanse"), typos, words, first); got != 1 {
		t.Errorf("balanse was not corrected to balance (got %d)", got)
	}
}

func TestKindClass(t *testing.T) {
	for _, pair := range [][2]rune{{'缴', '交'}, {'办', '开'}, {'换', '改'}, {'无', '没'}} {
		if kindClass(pair[0]) != kindClass(pair[1]) {
			t.Errorf("%q and %q are not of one kind", pair[0], pair[1])
		}
	}
	if kindClass('猫') != '猫' {
		t.Error("a character of no kind should stand for itself")
	}
}

func TestAnswerCodes(t *testing.T) {
	got := answerCodes("编辑短信KTLL发送到10001，或在APP里办理，24小时生效")
	if got != "KTLL 10001 APP" {
		t.Errorf("answerCodes = %q, want %q", got, "KTLL 10001 APP")
	}
}

// TestShipped_FalsePositives checks the shipped knowledge base on messages
// it used to answer wrongly with confidence.
func TestShipped_FalsePositives(t *testing.T) {
	const path = "../../configs/faq.yaml"
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not found", path)
	}
	b, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"what is the meaning of life", "你们食堂几点开饭", "流量"} {
		if r := b.Match(text); r.Verdict == Answer {
			t.Errorf("Match(%q) answers %s %v", text, topID(r), r.Candidates)
		}
	}
	if r := b.Match("what is the meaning of life"); r.Verdict != Unknown {
		t.Errorf("generic English words got %v %v, want unknown", r.Verdict, r.Candidates)
	}
}

// TestBase_Match_CoverageRanks checks that an entry that explains the
// whole message (a suspension after paying) ranks above one that shares
// only a word of it (paying).
func TestBase_Match_CoverageRanks(t *testing.T) {
	b, err := Parse([]byte(`
entries:
  - id: pay_ways
    question: 交话费有哪些方式？
    alternates: [手机怎么交费]
    answer: APP、微信和营业厅都可以缴费。
  - id: resume
    question: 欠费停机后缴费多久恢复？
    alternates: [交了钱还是停机]
    answer: 缴清欠费后一般几分钟内自动恢复通话和上网。
`))
	if err != nil {
		t.Fatal(err)
	}
	if r := b.Match("停机以后缴费了，多久能恢复上网"); topID(r) != "resume" {
		t.Errorf("got %v %q %v, want resume first", r.Verdict, topID(r), r.Candidates)
	}
}
