package form

import "testing"

func TestCorrection(t *testing.T) {
	tests := []struct {
		flow string
		text string
		want string // empty: not a correction
	}{
		{"broadband_down", "地址说错了", "address"},
		{"broadband_down", "the address is wrong", "address"},
		{"broadband_down", "改一下电话", "contact"},
		{"broadband_down", "联系电话填错了", "contact"},
		{"broadband_down", "change my contact number", "contact"},
		{"broadband_down", "宽带账号输错了", "broadband_account"},
		{"broadband_down", "wrong account", "broadband_account"},
		{"broadband_down", "区域选错了", "area"},
		{"broadband_down", "wrong district", "area"},
		{"broadband_down", "開始時間說錯了", "since"},
		{"mobile_no_signal", "号码说错了", "mobile_number"},
		{"mobile_no_signal", "change my number", "mobile_number"},
		{"mobile_no_signal", "CHANGE MY PHONE", "contact"},
		{"landline", "座机号码不对", "landline_number"},
		{"complaint", "change my number", "contact"},
		{"complaint", "投诉内容要修改", "description"},
		{"broadband_down", "地址是建国路88号", ""},
		{"broadband_down", "说错了", ""},
		{"broadband_down", "", ""},
	}
	fs := loadShipped(t)
	for _, tt := range tests {
		f, _ := fs.Flow(tt.flow)
		got, ok := f.Correction(tt.text)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s: Correction(%q) = %q, %v; want %q", tt.flow, tt.text, got, ok, tt.want)
		}
	}
}

// filled returns broadband_down with every slot answered, confirming.
func filled(t *testing.T) (*Flow, Progress) {
	t.Helper()
	f, p := startAt(t, "broadband_down", "broadband_account")
	for _, a := range []string{"ad12345678", "朝阳", "建国路88号3号楼501", "1", "2", "13812345678", "随时"} {
		f.Answer(&p, a, "", LangZh)
	}
	if !p.Confirming {
		t.Fatalf("not confirming; answers %v", p.Answers)
	}
	return f, p
}

func TestReask_EachRole(t *testing.T) {
	tests := []struct {
		say    string
		slot   string
		answer string
		want   string
	}{
		{"宽带账号说错了", "broadband_account", "ad87654321", "ad87654321"},
		{"the contact number is wrong", "contact", "13912345678", "13912345678"},
		{"区域选错了", "area", "海淀", "haidian"},
		{"地址说错了", "address", "建国路99号1号楼101", "建国路99号1号楼101"},
	}
	for _, tt := range tests {
		t.Run(tt.slot, func(t *testing.T) {
			f, p := filled(t)
			slot, ok := f.Correction(tt.say)
			if !ok || slot != tt.slot {
				t.Fatalf("Correction(%q) = %q, want %q", tt.say, slot, tt.slot)
			}

			prompt := f.Reask(&p, slot, LangZh)
			if prompt.Text == "" || p.Confirming || p.Slot != tt.slot {
				t.Fatalf("Reask: prompt %q, confirming %v, slot %q", prompt.Text, p.Confirming, p.Slot)
			}
			p = storeAndLoad(t, p)

			if out := f.Answer(&p, tt.answer, "", LangZh); out.Result != Complete {
				t.Fatalf("answer after Reask: %v asking %q, want Complete", out.Result, out.Slot)
			}
			if p.Answers[tt.slot] != tt.want {
				t.Errorf("%s = %q, want %q", tt.slot, p.Answers[tt.slot], tt.want)
			}
		})
	}
}

func TestReask_ServiceNumberMovesDefault(t *testing.T) {
	f, p := startAt(t, "mobile_data_slow", "mobile_number")
	for _, a := range []string{"13812345678", "1", "1", "上午"} {
		f.Answer(&p, a, "", LangZh)
	}
	if p.Answers["contact"] != "13812345678" {
		t.Fatalf("contact = %q, want the mobile number", p.Answers["contact"])
	}

	f.Reask(&p, "mobile_number", LangZh)
	if out := f.Answer(&p, "13912345678", "", LangZh); out.Result != Complete {
		t.Fatalf("got %v asking %q, want Complete", out.Result, out.Slot)
	}
	if p.Answers["contact"] != "13912345678" {
		t.Errorf("contact = %q, want it to follow the corrected number", p.Answers["contact"])
	}
}

func TestReask_KeepsOwnContact(t *testing.T) {
	f, p := startAt(t, "mobile_no_signal", "mobile_number")
	for _, a := range []string{"13812345678", "朝阳", "1", "今天", "13700001111", "上午"} {
		f.Answer(&p, a, "", LangZh)
	}
	f.Reask(&p, "mobile_number", LangZh)
	f.Answer(&p, "13912345678", "", LangZh)
	if p.Answers["contact"] != "13700001111" {
		t.Errorf("contact = %q, want the number the subscriber gave", p.Answers["contact"])
	}
}

func TestReask_Resume(t *testing.T) {
	f, p := startAt(t, "complaint", "description", "资费")
	p = storeAndLoad(t, p)
	if got := f.Reask(&p, p.Slot, LangZh); got.Text != f.slot("description").prompt.In(LangZh) {
		t.Errorf("Reask(current) = %q, want the description question", got.Text)
	}
	if got := f.Reask(&p, "no_such_slot",
		LangEn); got.Text != f.slot("description").prompt.In(LangEn) {
		t.Errorf("Reask(unknown) = %q, want the current question", got.Text)
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		flow, slot, text string
		want             bool
	}{
		{"mobile_data_slow", "mobile_number", "我不记得号码了", true},
		{"broadband_down", "broadband_account", "我忘了宽带账号", true},
		{"broadband_down", "broadband_account", "I forgot my account", true},
		{"broadband_down", "address", "不知道门牌号", true},
		{"broadband_down", "broadband_account", "流量超了以后网速为什么变慢", false},
		{"broadband_down", "address", "我忘了宽带账号", false},
		{"broadband_down", "no_such_slot", "号码", false},
		{"broadband_down", "broadband_account", "", false},
	}
	fs := loadShipped(t)
	for _, tt := range tests {
		f, _ := fs.Flow(tt.flow)
		if got := f.Names(tt.slot, tt.text); got != tt.want {
			t.Errorf("%s: Names(%q, %q) = %v, want %v", tt.flow, tt.slot, tt.text, got, tt.want)
		}
	}
}

func TestCorrected_TakesTheCarriedAnswer(t *testing.T) {
	tests := []struct {
		slot, text string
		want       string // empty: nothing carried
	}{
		{"area", "区域选错了，应该是海淀", "haidian"},
		{"area", "不是朝阳，是海淀", "haidian"},
		{"area", "区域选错了", ""},
		{"area", "区域选错了，是朝阳", ""}, // the old answer is no change
		{"contact", "联系电话写错了，是13912345678", "13912345678"},
		{"contact", "电话错了，13812345678才对", ""}, // the same number
		{"address", "地址说错了，是中关村大街1号", ""},     // free text is asked again
	}
	for _, tt := range tests {
		f, p := filled(t)
		out, ok := f.Corrected(&p, tt.slot, tt.text, LangZh)
		if ok != (tt.want != "") {
			t.Errorf("Corrected(%s, %q) ok = %v, want %v", tt.slot, tt.text, ok, tt.want != "")
			continue
		}
		if !ok {
			continue
		}
		if got := p.Answers[tt.slot]; got != tt.want {
			t.Errorf("Corrected(%s, %q) stored %q, want %q", tt.slot, tt.text, got, tt.want)
		}
		if out.Result != Complete || !p.Confirming {
			t.Errorf("Corrected(%s, %q) = %v, confirming %v; want the summary again", tt.slot, tt.text, out.Result, p.Confirming)
		}
	}
}
