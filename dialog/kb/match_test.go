package kb

import (
	"sync"
	"testing"
)

func TestBase_Match(t *testing.T) {
	b := loadTestBase(t)
	tests := []struct {
		name string
		text string
		want string // entry id answered
	}{
		{"answers its own question", "话费余额怎么查？", "balance"},
		{"answers traditional characters", "話費餘額怎麼查詢", "balance"},
		{"answers full-width letters", "ＷｉＦｉ密码怎么改", "wifi_password"},
		{"answers an English question", "my phone got stolen yesterday", "lost_phone"},
		{"answers despite an English typo", "how do I check my balanse", "balance"},
		{"answers despite a homophone typo", "刘量还剩多少", "data_left"},
		{"answers despite a near-homophone typo", "流浪还剩多少", "data_left"},
		{"answers a regional question word", "wifi密码咋个改嘛", "wifi_password"},
		{"answers a colloquial word through the built-in lexicon", "家里无线网的密码怎么修改", "wifi_password"},
		{"answers a synonym from the file", "网盘怎么开通", "cloud"},
		{"answers with surrounding chatter", "你好，我想问一下，这个月我的流量还剩多少啊？谢谢", "data_left"},
		{"tells balance from data left", "话费还有多少", "balance"},
		{"tells data left from balance", "流量还有多少", "data_left"},
		{"tells monthly fee from plan", "月租多少钱", "monthly_fee"},
		{"tells plan from monthly fee", "我现在用的是什么套餐", "current_plan"},
		{"tells a broken SIM from a lost phone", "手机卡读不出来了", "sim_replace"},
		{"tells a lost phone from a broken SIM", "手机被偷了怎么办", "lost_phone"},
		{"tells repair time from how to report", "报修后师傅多久上门", "repair_time"},
		{"tells how to report from repair time", "宽带报修电话是多少", "repair_how"},
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

func TestBase_Match_OutOfScope(t *testing.T) {
	b := loadTestBase(t)
	tests := []struct {
		name, text string
	}{
		{"weather is unknown", "今天上海天气怎么样"},
		{"english chatter is unknown", "what's the weather like tomorrow"},
		{"another shop is unknown", "淘宝怎么退货退款"},
		{"empty text is unknown", ""},
		{"punctuation only is unknown", "？？！"},
		{"stop words only are unknown", "请问一下"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := b.Match(tt.text); r.Verdict != Unknown {
				t.Errorf("Match(%q) = %v %v, want unknown", tt.text, r.Verdict, r.Candidates)
			}
		})
	}
}

func TestBase_Match_Candidates(t *testing.T) {
	b := loadTestBase(t)
	r := b.Match("宽带报修")
	if len(r.Candidates) < 2 || len(r.Candidates) > 3 {
		t.Fatalf("got %d candidates, want 2 or 3", len(r.Candidates))
	}
	for i, c := range r.Candidates {
		if c.Score <= 0 || c.Score > 1 {
			t.Errorf("candidate %d score %v is outside (0, 1]", i, c.Score)
		}
		if i > 0 && c.Score > r.Candidates[i-1].Score {
			t.Errorf("candidate %d scores above candidate %d", i, i-1)
		}
	}
	ids := map[string]bool{}
	for _, c := range r.Candidates {
		ids[c.Entry.ID] = true
	}
	if !ids["repair_how"] || !ids["repair_time"] {
		t.Errorf("candidates %v lack the two repair entries", r.Candidates)
	}
}

func TestBase_Match_TyposOff(t *testing.T) {
	b := loadTestBase(t)
	o := DefaultOptions()
	o.Typos = false
	strict := b.WithOptions(o)
	for text, want := range map[string]string{"刘量": "data_left", "invoise": "invoice"} {
		if r := strict.Match(text); topID(r) == want && r.Verdict == Answer {
			t.Errorf("without typo tolerance %q still answered %s", text, want)
		}
		if r := b.Match(text); topID(r) != want || r.Verdict != Answer {
			t.Errorf("with typo tolerance %q got %v %q, want answer %s", text, r.Verdict, topID(r), want)
		}
	}
}

func TestBase_Match_Concurrent(t *testing.T) {
	b := loadTestBase(t)
	texts := map[string]string{"话费余额怎么查": "balance", "流量还剩多少": "data_left", "补卡要带什么": "sim_replace"}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				for text, want := range texts {
					if got := topID(b.Match(text)); got != want {
						t.Errorf("Match(%q) = %q, want %q", text, got, want)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestOptions_Verdict(t *testing.T) {
	o := DefaultOptions()
	tests := []struct {
		name        string
		top, second float64
		want        Verdict
	}{
		{"sure score answers a close call", o.SureScore, o.SureScore - 0.001, Answer},
		{"clear lead answers", o.AnswerScore, o.AnswerScore - o.AnswerMargin - 0.01, Answer},
		{"close call suggests", o.AnswerScore, o.AnswerScore - 0.001, Suggest},
		{"weak score suggests", o.SuggestScore, 0, Suggest},
		{"weaker score is unknown", o.SuggestScore - 0.01, 0, Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := o.verdict(tt.top, tt.second); got != tt.want {
				t.Errorf("verdict(%v, %v) = %v, want %v", tt.top, tt.second, got, tt.want)
			}
		})
	}
}

func TestVerdict_String(t *testing.T) {
	for v, want := range map[Verdict]string{Unknown: "unknown", Suggest: "suggest", Answer: "answer", 7: "verdict(7)"} {
		if got := v.String(); got != want {
			t.Errorf("Verdict(%d).String() = %q, want %q", int(v), got, want)
		}
	}
}

// TestBuiltin_EnglishWording checks built-in English wording in sentences
// of our own: a determiner inside a term, money that has not arrived, and
// credit as the balance rather than money credited.
func TestBuiltin_EnglishWording(t *testing.T) {
	b, err := Parse([]byte(`
entries:
  - id: forward
    question: 呼叫转移怎么开？
    answer: 在手机通话设置里开启呼叫转移。
  - id: not_arrived
    question: 充值了话费没到账怎么办？
    answer: 充值一般几分钟内到账，超过一天请联系客服。
  - id: top_up
    question: 怎么充值话费？
    answer: 在APP或营业厅都可以充值。
  - id: balance
    question: 怎么查余额？
    answer: APP首页显示账户余额。
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, want string }{
		{"how can I forward my calls", "forward"},
		{"I topped up twice and it has not arrived", "not_arrived"},
		{"payment went through but my recharge was not received", "not_arrived"},
		{"how much credit do I have", "balance"},
	}
	for _, tt := range tests {
		if r := b.Match(tt.text); topID(r) != tt.want {
			t.Errorf("Match(%q) = %v %q %v, want %q first", tt.text, r.Verdict, topID(r), r.Candidates, tt.want)
		}
	}
}
