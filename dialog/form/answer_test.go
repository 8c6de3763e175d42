package form

import (
	"maps"
	"strings"
	"testing"
)

// turn is one answer from the subscriber and what should follow.
type turn struct {
	text    string
	payload string
	want    Result
	slot    string // the slot asked next; empty when complete
	say     string // part of the prompt text, when checked
}

// script is a conversation through one flow, from the opening message.
type script struct {
	name    string
	flow    string
	lang    string
	opening string
	first   string // the first slot asked
	turns   []turn
	answers map[string]string // the answers at the end
}

// run plays a script. Between turns the progress goes through Encode and
// Decode, as the engine stores it, so every script also tests resuming.
func (sc script) run(t *testing.T, fs *Flows) Progress {
	t.Helper()
	f, ok := fs.Flow(sc.flow)
	if !ok {
		t.Fatalf("flow %s missing", sc.flow)
	}
	p, out := f.Start("form-1", sc.opening, sc.lang)
	if out.Slot != sc.first {
		t.Fatalf("Start asks %q (%v), want %q; answers %v", out.Slot, out.Result, sc.first, p.Answers)
	}

	for i, tr := range sc.turns {
		p = storeAndLoad(t, p)
		out = f.Answer(&p, tr.text, tr.payload, sc.lang)
		if out.Result != tr.want || out.Slot != tr.slot {
			t.Fatalf("turn %d %q: got %v asking %q, want %v asking %q; answers %v",
				i+1, tr.text, out.Result, out.Slot, tr.want, tr.slot, p.Answers)
		}
		if !strings.Contains(out.Prompt.Text, tr.say) {
			t.Errorf("turn %d %q: prompt %q does not say %q", i+1, tr.text, out.Prompt.Text, tr.say)
		}
	}
	if sc.answers != nil && !maps.Equal(p.Answers, sc.answers) {
		t.Errorf("answers = %v\nwant      %v", p.Answers, sc.answers)
	}
	return p
}

// storeAndLoad passes progress through a conversation record, next to an
// entry of another user of the record.
func storeAndLoad(t *testing.T, p Progress) Progress {
	t.Helper()
	record := map[string]string{"lang": "zh"}
	p.Encode(record)
	got, ok := Decode(record)
	if !ok {
		t.Fatal("Decode found no progress")
	}
	if record["lang"] != "zh" {
		t.Fatal("Encode disturbed another key")
	}
	return got
}

func TestAnswer_HappyPaths(t *testing.T) {
	fs := loadShipped(t)
	for _, sc := range happyScripts {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, fs) })
	}
}

var happyScripts = []script{
	{
		name: "mobile no signal zh", flow: "mobile_no_signal", lang: LangZh,
		opening: "手机没信号了", first: "mobile_number",
		turns: []turn{
			{text: "138 1234 5678", want: Next, slot: "area", say: "哪个区"},
			{text: "朝阳", want: Next, slot: "since"},
			{text: "今天早上开始的", want: Next, slot: "contact"},
			{text: "同上", want: Next, slot: "call_time"},
			{text: "晚上", want: Complete},
		},
		answers: map[string]string{
			"mobile_number": "13812345678", "area": "chaoyang", "symptom": "no_signal",
			"since": "today", "contact": "13812345678", "call_time": "evening",
		},
	},
	{
		name: "mobile no signal en", flow: "mobile_no_signal", lang: LangEn,
		opening: "No signal since this morning", first: "mobile_number",
		turns: []turn{
			{text: "+86 138-1234-5678", want: Next, slot: "area", say: "district"},
			{text: "haidian", want: Next, slot: "contact"},
			{payload: "form:same:contact", text: "Use 138****5678", want: Next, slot: "call_time"},
			{text: "ANY TIME", want: Complete},
		},
		answers: map[string]string{
			"mobile_number": "13812345678", "area": "haidian", "symptom": "no_signal",
			"since": "today", "contact": "13812345678", "call_time": "anytime",
		},
	},
	{
		name: "mobile data zh, contact taken silently", flow: "mobile_data_slow", lang: LangZh,
		opening: "手机流量用不了", first: "mobile_number",
		turns: []turn{
			{text: "１３９１２３４５６７８", want: Next, slot: "since"},
			{text: "2", want: Next, slot: "call_time"},
			{text: "跳过", want: Complete},
		},
		answers: map[string]string{
			"mobile_number": "13912345678", "symptom": "no_data", "since": "today",
			"contact": "13912345678", "call_time": "",
		},
	},
	{
		name: "mobile data en", flow: "mobile_data_slow", lang: LangEn,
		opening: "my mobile data is slow", first: "mobile_number",
		turns: []turn{
			{text: "my number is 139 1234 5678", want: Next, slot: "since"},
			{text: "Yesterday", want: Next, slot: "call_time"},
			{payload: "form:choice:call_time:morning", text: "Morning", want: Complete},
		},
		answers: map[string]string{
			"mobile_number": "13912345678", "symptom": "slow", "since": "yesterday",
			"contact": "13912345678", "call_time": "morning",
		},
	},
	{
		name: "broadband down zh", flow: "broadband_down", lang: LangZh,
		opening: "家里宽带断了", first: "broadband_account",
		turns: []turn{
			{text: "AD12345678", want: Next, slot: "area"},
			{text: "我在海淀区", want: Next, slot: "address", say: "地址"},
			{text: "中关村大街1号院2号楼301", want: Next, slot: "since"},
			{text: "刚才", want: Next, slot: "contact"},
			{text: "13712345678", want: Next, slot: "call_time"},
			{payload: "form:choice:call_time:anytime", want: Complete},
		},
		answers: map[string]string{
			"broadband_account": "ad12345678", "area": "haidian", "symptom": "no_connection",
			"address": "中关村大街1号院2号楼301", "since": "just_now", "contact": "13712345678",
			"call_time": "anytime",
		},
	},
	{
		name: "broadband down en", flow: "broadband_down", lang: LangEn,
		opening: "My wifi is down and the modem shows a red light", first: "broadband_account",
		turns: []turn{
			{text: "010-8888 6666", want: Next, slot: "area"},
			{text: "5", want: Next, slot: "address"},
			{text: "Flat 501, Building 3, 88 Jianguo Road", want: Next, slot: "since"},
			{text: "for days", want: Next, slot: "contact"},
			{text: "(010) 8888-6666", want: Next, slot: "call_time"},
			{text: "evening", want: Complete},
		},
		answers: map[string]string{
			"broadband_account": "01088886666", "area": "fengtai", "symptom": "red_light",
			"address": "Flat 501, Building 3, 88 Jianguo Road", "since": "earlier",
			"contact": "01088886666", "call_time": "evening",
		},
	},
	{
		name: "broadband slow zh", flow: "broadband_slow", lang: LangZh,
		opening: "网速太慢了", first: "broadband_account",
		turns: []turn{
			{text: "宽带账号是bj20240001", want: Next, slot: "area"},
			{text: "通州区", want: Next, slot: "address"},
			{text: "通州区新华大街100号5-2-302", want: Next, slot: "symptom"},
			{text: "晚上特别卡", want: Next, slot: "since"},
			{text: "上个月就这样", want: Next, slot: "contact"},
			{text: "13612345678", want: Next, slot: "call_time"},
			{text: "下午", want: Complete},
		},
		answers: map[string]string{
			"broadband_account": "bj20240001", "area": "tongzhou", "address": "通州区新华大街100号5-2-302",
			"symptom": "slow_evening", "since": "上个月就这样", "contact": "13612345678",
			"call_time": "afternoon",
		},
	},
	{
		name: "broadband slow en", flow: "broadband_slow", lang: LangEn,
		opening: "broadband slow", first: "broadband_account",
		turns: []turn{
			{text: "ad87654321", want: Next, slot: "area"},
			{text: "Xicheng", want: Next, slot: "address"},
			{text: "12 Financial Street, flat 8", want: Next, slot: "symptom"},
			{text: "only wi-fi is slow", want: Next, slot: "since"},
			{text: "today", want: Next, slot: "contact"},
			{text: "13512345678", want: Next, slot: "call_time"},
			{text: "skip", want: Complete},
		},
		answers: map[string]string{
			"broadband_account": "ad87654321", "area": "xicheng",
			"address": "12 Financial Street, flat 8", "symptom": "slow_wifi", "since": "today",
			"contact": "13512345678", "call_time": "",
		},
	},
	{
		name: "tv zh", flow: "tv", lang: LangZh,
		opening: "電視黑屏了", first: "broadband_account",
		turns: []turn{
			{text: "ad11112222", want: Next, slot: "area"},
			{text: "第三个", want: Next, slot: "address"},
			{text: "朝阳区建国路88号3号楼2单元501", want: Next, slot: "since"},
			{text: "昨天", want: Next, slot: "contact"},
			{text: "13812345678", want: Next, slot: "call_time"},
			{text: "随时", want: Complete},
		},
		answers: map[string]string{
			"broadband_account": "ad11112222", "area": "chaoyang", "address": "朝阳区建国路88号3号楼2单元501",
			"symptom": "no_picture", "since": "yesterday", "contact": "13812345678",
			"call_time": "anytime",
		},
	},
	{
		name: "tv en", flow: "tv", lang: LangEn,
		opening: "IPTV keeps buffering since yesterday", first: "broadband_account",
		turns: []turn{
			{text: "ad11112222", want: Next, slot: "area"},
			{text: "Daxing", want: Next, slot: "address"},
			{text: "Room 2, 7 Xingye Street", want: Next, slot: "contact"},
			{text: "13812345678", want: Next, slot: "call_time"},
			{text: "1", want: Complete},
		},
		answers: map[string]string{
			"broadband_account": "ad11112222", "area": "daxing", "address": "Room 2, 7 Xingye Street",
			"symptom": "freezing", "since": "yesterday", "contact": "13812345678",
			"call_time": "morning",
		},
	},
	{
		name: "landline zh", flow: "landline", lang: LangZh,
		opening: "座机没有拨号音", first: "landline_number",
		turns: []turn{
			{text: "021 1234 5678", want: Next, slot: "area"},
			{text: "其他区域", want: Next, slot: "address"},
			{text: "浦东新区世纪大道100号", want: Next, slot: "since"},
			{text: "今天", want: Next, slot: "contact", say: "电话"},
			{text: "13812345678", want: Next, slot: "call_time"},
			{text: "上午", want: Complete},
		},
		answers: map[string]string{
			"landline_number": "02112345678", "area": "other", "address": "浦东新区世纪大道100号",
			"symptom": "no_dial_tone", "since": "today", "contact": "13812345678",
			"call_time": "morning",
		},
	},
	{
		name: "landline en", flow: "landline", lang: LangEn,
		opening: "there is noise on my landline", first: "landline_number",
		turns: []turn{
			{text: "0755-23456789", want: Next, slot: "area"},
			{text: "elsewhere", want: Next, slot: "address"},
			{text: "88 Shennan Road, Futian", want: Next, slot: "since"},
			{text: "a week", want: Next, slot: "contact"},
			{text: "075523456789", want: Next, slot: "call_time"},
			{text: "afternoon", want: Complete},
		},
		answers: map[string]string{
			"landline_number": "075523456789", "area": "other", "address": "88 Shennan Road, Futian",
			"symptom": "noise", "since": "earlier", "contact": "075523456789", "call_time": "afternoon",
		},
	},
	{
		name: "other fault zh", flow: "other_fault", lang: LangZh,
		opening: "其他故障", first: "description",
		turns: []turn{
			{text: "短信收不到验证码", want: Next, slot: "since"},
			{text: "刚刚", want: Next, slot: "contact"},
			{text: "13812345678", want: Next, slot: "call_time"},
			{text: "不用", want: Complete},
		},
		answers: map[string]string{
			"description": "短信收不到验证码", "since": "just_now", "contact": "13812345678",
			"call_time": "",
		},
	},
	{
		name: "other fault en", flow: "other_fault", lang: LangEn,
		opening: "something else", first: "description",
		turns: []turn{
			{text: "I don't receive SMS codes", want: Next, slot: "since"},
			{text: "Just now", want: Next, slot: "contact"},
			{text: "13812345678", want: Next, slot: "call_time"},
			{text: "Evening", want: Complete},
		},
		answers: map[string]string{
			"description": "I don't receive SMS codes", "since": "just_now", "contact": "13812345678",
			"call_time": "evening",
		},
	},
	{
		name: "complaint zh", flow: "complaint", lang: LangZh,
		opening: "我要投诉乱扣费", first: "description",
		turns: []turn{
			{text: "上个月多扣了我二十元流量费，客服说会退但一直没退", want: Next, slot: "contact"},
			{text: "13812345678", want: Complete},
		},
		answers: map[string]string{
			"topic": "charges", "contact": "13812345678",
			"description": "上个月多扣了我二十元流量费，客服说会退但一直没退",
		},
	},
	{
		name: "complaint en", flow: "complaint", lang: LangEn,
		opening: "I want to complain", first: "topic",
		turns: []turn{
			{text: "the staff attitude", want: Next, slot: "description"},
			{text: "The clerk at the service hall was rude to me on Monday.", want: Next, slot: "contact"},
			{text: "13812345678", want: Complete},
		},
		answers: map[string]string{
			"topic":       "attitude",
			"description": "The clerk at the service hall was rude to me on Monday.",
			"contact":     "13812345678",
		},
	},
}

func TestStart_Prefill(t *testing.T) {
	tests := []struct {
		flow    string
		opening string
		first   string
		want    map[string]string
	}{
		{"mobile_no_signal", "13812345678 没信号了，昨天开始的", "area",
			map[string]string{"mobile_number": "13812345678", "symptom": "no_signal", "since": "yesterday"}},
		{"mobile_no_signal", "the signal is poor in the basement", "mobile_number",
			map[string]string{"symptom": "indoor_only"}},
		{"broadband_down", "宽带断了，联系电话13812345678", "broadband_account",
			map[string]string{"symptom": "no_connection"}},
		{"broadband_down", "朝阳区这边宽带时断时续", "broadband_account",
			map[string]string{"area": "chaoyang", "symptom": "drops"}},
		{"landline", "座机010-62345678没有拨号音", "area",
			map[string]string{"landline_number": "01062345678", "symptom": "no_dial_tone"}},
		{"tv", "电视卡顿", "broadband_account", map[string]string{"symptom": "freezing"}},
		// 一直 says how the fault behaves, not when it started.
		{"tv", "电视一直黑屏", "broadband_account", map[string]string{"symptom": "no_picture"}},
		{"broadband_down", "家里宽带从早上就断了，一直连不上", "broadband_account",
			map[string]string{"symptom": "no_connection", "since": "today"}},
		{"complaint", "我要向工信部申诉", "topic", map[string]string{}},
		{"complaint", "营业厅排队太久，我要投诉", "description", map[string]string{"topic": "service_hall"}},
	}
	fs := loadShipped(t)
	for _, tt := range tests {
		f, _ := fs.Flow(tt.flow)
		p, out := f.Start("form-1", tt.opening, LangZh)
		if out.Result != Next || out.Slot != tt.first {
			t.Errorf("%s %q: %v asking %q, want next asking %q", tt.flow, tt.opening, out.Result,
				out.Slot, tt.first)
		}
		if !maps.Equal(p.Answers, tt.want) {
			t.Errorf("%s %q: prefilled %v, want %v", tt.flow, tt.opening, p.Answers, tt.want)
		}
	}
}

func TestStart_EverythingPrefilled(t *testing.T) {
	fs, err := Parse(mini(t, "    sensitive: true\n", "    sensitive: true\n    extract: true\n",
		"        optional: true", "        optional: true\n        extract: true"))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := fs.Flow("fix")
	p, out := f.Start("form-1", "13812345678 今早坏了", LangZh)
	if out.Result != Complete || !p.Confirming {
		t.Errorf("got %v, confirming %v; want Complete", out.Result, p.Confirming)
	}
}
