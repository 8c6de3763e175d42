package textnorm

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"full width letters become ascii", "ＷｉＦｉ密碼", "wifi密码"},
		{"traditional becomes simplified", "寬帶斷線了，怎麼辦？", "宽带断线了 怎么办"},
		{"upper case folds", "How Do I TOP UP", "how do i top up"},
		{"punctuation runs collapse", "  话费!!!余额???  ", "话费 余额"},
		{"apostrophe inside a word stays", "I can’t call", "i can't call"},
		{"apostrophe at the edge goes", "'quoted'", "quoted"},
		{"decimal point stays", "用了1.5G。", "用了1.5g"},
		{"full width digits become ascii", "１２３００", "12300"},
		{"spoken phone number becomes digits", "九六幺幺零是谁", "96110是谁"},
		{"two spoken digits stay words", "一二天", "一二天"},
		{"ideographic space separates", "流量　套餐", "流量 套餐"},
		{"regional words become standard", "流量咋个查，晓不得", "流量怎么查 不知道"},
		{"empty stays empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalize_Idempotent(t *testing.T) {
	for _, in := range []string{"寬帶斷線了，怎麼辦？", "ＷｉＦｉ", "I can’t", "九六幺幺零", "咋个木有网"} {
		once := Normalize(in)
		if twice := Normalize(once); twice != once {
			t.Errorf("Normalize(Normalize(%q)) = %q, want %q", in, twice, once)
		}
	}
}

func TestIsHan(t *testing.T) {
	tests := []struct {
		r    rune
		want bool
	}{
		{'流', true}, {'〇', true}, {'a', false}, {'。', false}, {'ｱ', false}, {'𠀀', true},
	}
	for _, tt := range tests {
		if got := IsHan(tt.r); got != tt.want {
			t.Errorf("IsHan(%q) = %v, want %v", tt.r, got, tt.want)
		}
	}
}
