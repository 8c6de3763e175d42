package form

import (
	"strings"
	"testing"
)

// startAt starts flow name and answers until slot is asked.
func startAt(t *testing.T, name, slot string, answers ...string) (*Flow, Progress) {
	t.Helper()
	f := shippedFlow(t, name)
	p, out := f.Start("form-1", "", LangZh)
	for _, a := range answers {
		out = f.Answer(&p, a, "", LangZh)
	}
	if out.Slot != slot {
		t.Fatalf("asking %q, want %q", out.Slot, slot)
	}
	return f, p
}

func TestAnswer_Invalid(t *testing.T) {
	tests := []struct {
		name    string
		flow    string
		before  []string // answers that lead to the slot
		slot    string
		answer  string
		lang    string
		explain string // part of the re-prompt
	}{
		{"mobile too short", "mobile_no_signal", nil, "mobile_number", "1381234", LangZh, "11位"},
		{"mobile wrong start", "mobile_no_signal", nil, "mobile_number", "12812345678", LangEn,
			"11 digits"},
		{"mobile too long", "mobile_no_signal", nil, "mobile_number", "138123456789", LangZh, "11位"},
		{"landline without area code", "landline", nil, "landline_number", "62345678", LangZh, "区号"},
		{"landline letters", "landline", nil, "landline_number", "call me", LangEn, "area code"},
		{"account too short", "broadband_down", nil, "broadband_account", "ad123", LangZh, "ad12345678"},
		{"account words only", "broadband_down", nil, "broadband_account", "broadband account", LangEn,
			"ad12345678"},
		{"unknown district", "broadband_down", []string{"ad12345678"}, "area", "火星", LangZh, "朝阳"},
		{"district number out of range", "broadband_down", []string{"ad12345678"}, "area", "12", LangEn,
			"district"},
		{"address too short", "broadband_down", []string{"ad12345678", "1"}, "address", "1号楼", LangZh,
			"门牌号"},
		{"address punctuation only", "broadband_down", []string{"ad12345678", "1"}, "address",
			"。。。。。。。", LangZh, "门牌号"},
		{"address too long", "broadband_down", []string{"ad12345678", "1"}, "address",
			strings.Repeat("路", 101), LangEn, "6 to 100"},
		{"symptom one character", "broadband_down", []string{"ad12345678", "1", "建国路88号3号楼501"},
			"symptom", "啊", LangZh, "描述"},
		{"since one character", "mobile_data_slow", []string{"13812345678", "1"}, "since", "?", LangEn,
			"two days ago"},
		{"contact not a number", "other_fault", []string{"短信收不到验证码", "1"}, "contact", "我不想说", LangZh,
			"11位"},
		{"same as with no number to copy", "other_fault", []string{"短信收不到验证码", "1"}, "contact", "同上",
			LangZh, "11位"},
		{"call time not a choice", "other_fault", []string{"短信收不到验证码", "1", "13812345678"}, "call_time",
			"半夜", LangZh, "随时"},
		{"complaint too short", "complaint", []string{"资费"}, "description", "太贵", LangZh, "10到500"},
		{"complaint empty", "complaint", []string{"资费"}, "description", "   ", LangEn, "10 to 500"},
		{"skip a required slot", "complaint", nil, "topic", "跳过", LangZh, "网络质量"},
		{"skip payload on a required slot", "complaint", nil, "topic", "", LangZh, "网络质量"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, p := startAt(t, tt.flow, tt.slot, tt.before...)
			payload := ""
			if tt.answer == "" {
				payload = "form:skip:" + tt.slot
			}
			out := f.Answer(&p, tt.answer, payload, tt.lang)
			if out.Result != Invalid || out.Slot != tt.slot || p.Failures != 1 {
				t.Fatalf("got %v asking %q with %d failures, want Invalid asking %q with 1",
					out.Result, out.Slot, p.Failures, tt.slot)
			}
			if !strings.Contains(out.Prompt.Text, tt.explain) {
				t.Errorf("re-prompt %q does not explain with %q", out.Prompt.Text, tt.explain)
			}
			if _, filled := p.Answers[tt.slot]; filled {
				t.Errorf("invalid answer stored: %q", p.Answers[tt.slot])
			}
		})
	}
}

func TestAnswer_TooManyFailures(t *testing.T) {
	f, p := startAt(t, "mobile_no_signal", "mobile_number")
	want := []Result{Invalid, Invalid, TooManyFailures}
	for i, w := range want {
		out := f.Answer(&p, "不知道", "", LangZh)
		if out.Result != w {
			t.Fatalf("answer %d: %v, want %v", i+1, out.Result, w)
		}
		if out.Prompt.Text == "" {
			t.Errorf("answer %d: no re-prompt", i+1)
		}
	}

	out := f.Answer(&p, "13812345678", "", LangZh)
	if out.Result != Next || p.Failures != 0 {
		t.Errorf("a valid answer after the limit: %v with %d failures, want Next with 0", out.Result,
			p.Failures)
	}
}

func TestAnswer_MaxFailuresFromFile(t *testing.T) {
	fs, err := Parse(mini(t))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := fs.Flow("fix")
	p, _ := f.Start("form-1", "", LangZh)
	f.Answer(&p, "x", "", LangZh)
	if out := f.Answer(&p, "y", "", LangZh); out.Result != TooManyFailures {
		t.Errorf("second failure with max_failures 2: %v, want TooManyFailures", out.Result)
	}
}

func TestAnswer_StalePayloadReadsText(t *testing.T) {
	f, p := startAt(t, "complaint", "topic")
	out := f.Answer(&p, "资费", "form:choice:area:haidian", LangZh)
	if out.Result != Next || p.Answers["topic"] != "charges" {
		t.Errorf("got %v, topic %q; want the typed text read", out.Result, p.Answers["topic"])
	}
}

func TestAnswer_ConfirmingStaysComplete(t *testing.T) {
	f, p := startAt(t, "complaint", "topic")
	for _, a := range []string{"资费", "上个月多扣了我二十元流量费", "13812345678"} {
		f.Answer(&p, a, "", LangZh)
	}
	if !p.Confirming {
		t.Fatal("not confirming after the last answer")
	}
	if out := f.Answer(&p, "something", "", LangZh); out.Result != Complete {
		t.Errorf("answer while confirming: %v, want Complete", out.Result)
	}
}

// TestAnswer_FlowChanged covers progress stored before the flows file lost
// the slot being asked: the form moves on to the next question.
func TestAnswer_FlowChanged(t *testing.T) {
	f := shippedFlow(t, "complaint")
	p := Progress{ID: "form-1", Flow: "complaint", Slot: "removed_slot",
		Answers: map[string]string{"topic": "charges"}}
	out := f.Answer(&p, "hello", "", LangZh)
	if out.Result != Next || out.Slot != "description" {
		t.Errorf("got %v asking %q, want Next asking description", out.Result, out.Slot)
	}
}
