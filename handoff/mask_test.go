package handoff

import "testing"

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"我的手机13812345678没信号", "我的手机138****5678没信号"},
		{"座机010-62345678，手机+86 13912345678", "座机010*****5678，手机+86 139****5678"},
		{"身份证11010519491231002X", "身份证110***********002X"},
		{"身份证11010519491231002x也行", "身份证110***********002x也行"},
		{"老身份证110105491231002", "老身份证110********1002"},
		// A wrong check digit: a long order number, not an identity card.
		{"订单号110105194912310021", "订单号110105194912310021"},
		// Ticket numbers and longer digit runs are no phone numbers.
		{"工单TK20261203-000123", "工单TK20261203-000123"},
		{"流水号2138123456789", "流水号2138123456789"},
		{"宽带账号ad12345678", "宽带账号ad12345678"},
		{"两个号码13812345678和13912345678", "两个号码138****5678和139****5678"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFindSensitive(t *testing.T) {
	text := "电话13812345678，身份证11010519491231002X，座机0571-88886666"
	got := FindSensitive(text)
	want := []string{"mobile", "id_card", "landline"}
	if len(got) != len(want) {
		t.Fatalf("found %+v, want kinds %v", got, want)
	}
	for i, s := range got {
		if s.Kind != want[i] {
			t.Errorf("finding %d is %s (%q), want %s", i, s.Kind, text[s.Start:s.End], want[i])
		}
	}
	if n := text[got[1].Start:got[1].End]; n != "11010519491231002X" {
		t.Errorf("id card span = %q", n)
	}
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{"13812345678", "11010519491231002X", "010-62345678", "TK20261203-000123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := Mask(s)
		if len(m) != len(s) {
			t.Fatalf("Mask changed the length: %q → %q", s, m)
		}
		for _, f := range FindSensitive(m) {
			t.Fatalf("a masked text still holds a number %q: %q", m[f.Start:f.End], m)
		}
	})
}
