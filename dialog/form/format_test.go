package form

import "testing"

func TestFindFormat(t *testing.T) {
	fs := loadShipped(t)
	f, _ := fs.Flow("broadband_down")
	account := f.slot("broadband_account").formats
	contact := f.slot("contact").formats

	tests := []struct {
		name    string
		formats []*format
		in      string
		want    string // empty: no match
	}{
		{"mobile", contact, "13812345678", "13812345678"},
		{"mobile with spaces", contact, "138 1234 5678", "13812345678"},
		{"mobile with dashes", contact, "138-1234-5678", "13812345678"},
		{"mobile full-width", contact, "１３８１２３４５６７８", "13812345678"},
		{"mobile full-width dash", contact, "１３８－１２３４－５６７８", "13812345678"},
		{"mobile spoken", contact, "幺三八幺二三四五六七八", "13812345678"},
		{"mobile +86", contact, "+86 13812345678", "13812345678"},
		{"mobile 0086", contact, "0086-138-1234-5678", "13812345678"},
		{"mobile in a sentence", contact, "我的号码是138 1234 5678，谢谢", "13812345678"},
		{"mobile in English", contact, "call me on 13812345678 please", "13812345678"},
		{"landline Beijing", contact, "010-12345678", "01012345678"},
		{"landline Shanghai", contact, "02112345678", "02112345678"},
		{"landline brackets", contact, "(0755)23456789", "075523456789"},
		{"landline no area code", contact, "62345678", ""},
		{"mobile too long", contact, "138123456789", ""},
		{"two numbers apart", contact, "138 1234 号码 5678", ""},
		{"account", account, "AD12345678", "ad12345678"},
		{"account full-width", account, "ＡＤ１２３４５６７８", "ad12345678"},
		{"account digits", account, "12345678", "12345678"},
		{"account in a sentence", account, "账号ad12345678谢谢", "ad12345678"},
		{"account word only", account, "broadband", ""},
		{"letters do not join digits", account, "abc 123", ""},
		{"empty", account, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := findFormat(tt.formats, tt.in)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("findFormat(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
			}
		})
	}
}
