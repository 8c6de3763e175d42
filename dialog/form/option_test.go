package form

import (
	"slices"
	"testing"
)

func TestAnswer_Choices(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		payload string
		want    string
	}{
		{"number", "3", "", "chaoyang"},
		{"full-width number", "３", "", "chaoyang"},
		{"ordinal", "第3个", "", "chaoyang"},
		{"Chinese number", "三", "", "chaoyang"},
		{"label zh", "朝阳区", "", "chaoyang"},
		{"label traditional", "朝陽區", "", "chaoyang"},
		{"label en mixed case", "cHaOyAnG", "", "chaoyang"},
		{"alias", "朝阳", "", "chaoyang"},
		{"in a sentence", "我住在朝阳区那边", "", "chaoyang"},
		{"value", "shijingshan", "", "shijingshan"},
		{"longer name wins", "石景山", "", "shijingshan"},
		{"payload", "whatever", "form:choice:area:haidian", "haidian"},
		{"payload with unknown value reads text", "朝阳", "form:choice:area:mars", "chaoyang"},
		{"other", "其他区域", "", "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, p := startAt(t, "broadband_down", "area", "ad12345678")
			out := f.Answer(&p, tt.text, tt.payload, LangZh)
			if out.Result != Next || p.Answers["area"] != tt.want {
				t.Errorf("got %v, area %q; want Next, %q", out.Result, p.Answers["area"], tt.want)
			}
		})
	}
}

func TestAnswer_AmbiguousChoiceIsInvalid(t *testing.T) {
	f, p := startAt(t, "broadband_down", "area", "ad12345678")
	if out := f.Answer(&p, "朝阳或者海淀", "", LangZh); out.Result != Invalid {
		t.Errorf("two districts: %v, want Invalid", out.Result)
	}
}

func TestPrompt_QuickReplies(t *testing.T) {
	f, p := startAt(t, "other_fault", "call_time", "短信收不到验证码", "1", "13812345678")
	out := f.Reask(&p, "call_time", LangEn)

	var labels, payloads []string
	for _, c := range out.Choices {
		labels = append(labels, c.Label)
		payloads = append(payloads, c.Payload)
	}
	wantLabels := []string{"Morning", "Afternoon", "Evening", "Any time", "Skip"}
	if !slices.Equal(labels, wantLabels) {
		t.Errorf("labels = %v, want %v", labels, wantLabels)
	}
	if payloads[0] != "form:choice:call_time:morning" || payloads[4] != "form:skip:call_time" {
		t.Errorf("payloads = %v", payloads)
	}
}

func TestAnswer_SkipOptional(t *testing.T) {
	for _, tt := range []struct{ text, payload string }{
		{"跳过", ""}, {"Skip", ""}, {"不用了", ""}, {"", "form:skip:call_time"},
	} {
		f, p := startAt(t, "other_fault", "call_time", "短信收不到验证码", "1", "13812345678")
		out := f.Answer(&p, tt.text, tt.payload, LangZh)
		v, answered := p.Answers["call_time"]
		if out.Result != Complete || !answered || v != "" {
			t.Errorf("skip %q %q: %v, answer %q %v; want Complete with an empty answer",
				tt.text, tt.payload, out.Result, v, answered)
		}
		if _, ok := p.Values()["call_time"]; ok {
			t.Errorf("skip %q: Values keeps the skipped slot", tt.text)
		}
	}
}

func TestListIndex(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"1", 1, true}, {"第2项", 2, true}, {"十", 10, true}, {"no 4", 4, true},
		{"0", 0, false}, {"-1", 0, false}, {"1234", 0, false}, {"一些", 0, false}, {"", 0, false},
	}
	for _, tt := range tests {
		got, ok := listIndex(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("listIndex(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
