package form

import (
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		text string
		want string // empty: unclear
	}{
		{"家里宽带断了", "broadband_down"},
		{"光猫亮红灯了", "broadband_down"},
		{"上不了网", "broadband_down"},
		{"My WiFi is down", "broadband_down"},
		{"网速太慢了", "broadband_slow"},
		{"宽带很慢", "broadband_slow"},
		{"slow internet at home", "broadband_slow"},
		{"no signal since this morning", "mobile_no_signal"},
		{"手機沒信號", "mobile_no_signal"},
		{"手机信号很差", "mobile_no_signal"},
		{"手机上网慢", "mobile_data_slow"},
		{"手机网速太慢了", "mobile_data_slow"},
		{"4G用不了", "mobile_data_slow"},
		{"mobile data not working", "mobile_data_slow"},
		{"4G网速太慢了", "mobile_data_slow"},
		{"5G网速很慢", "mobile_data_slow"},
		{"电视没信号", "tv"},
		{"IPTV黑屏", "tv"},
		{"机顶盒报错", "tv"},
		{"座机打不通", "landline"},
		{"no dial tone on my landline", "landline"},
		{"其他故障", "other_fault"},
		{"我要投诉", "complaint"},
		{"我要向工信部申诉", "complaint"},
		{"I want to file a complaint", "complaint"},
		{"手机没信号", "mobile_no_signal"},
		{"wifi很慢", "broadband_slow"},
		{"my wifi is slow", "broadband_slow"},
		{"宽带", ""},
		{"你好", ""},
		{"", ""},
	}
	fs := loadShipped(t)
	for _, tt := range tests {
		f, ok := fs.Detect(tt.text)
		got := ""
		if ok {
			got = f.Name
		}
		if got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestMenu(t *testing.T) {
	fs := loadShipped(t)
	m := fs.Menu(LangEn)
	if m.Text == "" || len(m.Choices) != len(fs.Faults()) {
		t.Fatalf("Menu = %+v", m)
	}
	first := m.Choices[0]
	if first.Payload != "form:flow:mobile_no_signal" || first.Label != "Mobile signal fault" {
		t.Errorf("first item = %+v", first)
	}
}

func TestChoose(t *testing.T) {
	tests := []struct {
		text, payload string
		want          string // empty: no flow
	}{
		{"", "form:flow:tv", "tv"},
		{"", "form:flow:complaint", ""},
		{"", "form:flow:callback", ""},
		{"3", "", "broadband_down"},
		{"宽带网速慢报修", "", "broadband_slow"},
		{"landline fault", "", "landline"},
		{"座机", "", "landline"},
		{"9", "", ""},
		{"随便", "", ""},
	}
	fs := loadShipped(t)
	for _, tt := range tests {
		f, ok := fs.Choose(tt.text, tt.payload)
		got := ""
		if ok {
			got = f.Name
		}
		if got != tt.want {
			t.Errorf("Choose(%q, %q) = %q, want %q", tt.text, tt.payload, got, tt.want)
		}
	}
}

// TestShippedMinimalCollection pins the details each shipped flow asks
// (PIPL: collect only what the category needs). An address is asked only
// where a technician may visit, a district only where a visit or an outage
// in the district is likely; numbers and the address are masked for agents
// and logs. A new slot or flow has to be added here on purpose.
func TestShippedMinimalCollection(t *testing.T) {
	want := map[string][]string{
		"mobile_no_signal": {"mobile_number", "area", "symptom", "since", "contact", "call_time"},
		"mobile_data_slow": {"mobile_number", "symptom", "since", "contact", "call_time"},
		"broadband_down":   {"broadband_account", "area", "address", "symptom", "since", "contact", "call_time"},
		"broadband_slow":   {"broadband_account", "area", "address", "symptom", "since", "contact", "call_time"},
		"tv":               {"broadband_account", "area", "address", "symptom", "since", "contact", "call_time"},
		"landline":         {"landline_number", "area", "address", "symptom", "since", "contact", "call_time"},
		"other_fault":      {"description", "since", "contact", "call_time"},
		"complaint":        {"topic", "description", "contact"},
		"callback":         {"topic", "contact", "call_time"},
	}
	fs := loadShipped(t)
	if len(fs.flows) != len(want) {
		t.Errorf("%d flows shipped, %d pinned here", len(fs.flows), len(want))
	}
	for _, f := range fs.flows {
		names, ok := want[f.Name]
		if !ok {
			t.Errorf("flow %s: not pinned here; list the details it needs", f.Name)
			continue
		}
		var got []string
		for _, s := range f.Slots {
			got = append(got, s.Name)
			personal := s.Role == RoleServiceNumber || s.Role == RoleContact || s.Role == RoleAddress
			if personal && !s.Sensitive {
				t.Errorf("flow %s: slot %s (%s) is not marked sensitive", f.Name, s.Name, s.Role)
			}
		}
		if strings.Join(got, " ") != strings.Join(names, " ") {
			t.Errorf("flow %s asks %v, want %v", f.Name, got, names)
		}
	}
}
