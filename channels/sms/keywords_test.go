package sms

import (
	"strings"
	"testing"
)

func TestClassifyKeyword(t *testing.T) {
	words := map[Keyword][]string{
		OptOut: {
			"T", "TD", "N", "R", "退订", "退订短信", "取消订阅", "取消",
			"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
			"退訂", "取消訂閱",
		},
		OptIn: {"START", "UNSTOP", "YES", "订阅", "恢复", "訂閱"},
		Help:  {"HELP", "INFO", "帮助", "幫助"},
	}
	variants := []func(string) string{
		func(s string) string { return s },
		strings.ToLower,
		func(s string) string { // Title case
			if len(s) < 2 || s[0] >= 0x80 {
				return s
			}
			return s[:1] + strings.ToLower(s[1:])
		},
		func(s string) string { return "  " + s + "  " },
		func(s string) string { return "\t" + s + "\n" },
		func(s string) string { return s + "。" },
		func(s string) string { return s + "！" },
		func(s string) string { return s + "!" },
		func(s string) string { return s + "." },
		func(s string) string { return s + "，" },
		func(s string) string { return s + "," },
		func(s string) string { return s + "？" },
		func(s string) string { return s + "~" },
		func(s string) string { return s + "..." },
		func(s string) string { return s + "……" },
		func(s string) string { return s + " !! " },
		func(s string) string { return "\u3000" + s + "\u3000" },
		func(s string) string { return "\ufeff" + s + "\u200b" },
		toFullWidth,
		func(s string) string { return strings.ToLower(toFullWidth(s)) + "！" },
	}
	for want, list := range words {
		for _, w := range list {
			for _, v := range variants {
				in := v(w)
				if got := ClassifyKeyword(in); got != want {
					t.Errorf("ClassifyKeyword(%q) = %v, want %v", in, got, want)
				}
			}
		}
	}
}

// toFullWidth writes the ASCII letters and digits of s in full width.
func toFullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r > ' ' && r <= '~' {
			return r + ('！' - '!')
		}
		return r
	}, s)
}

func TestClassifyKeywordSpotChecks(t *testing.T) {
	tests := []struct {
		in   string
		want Keyword
	}{
		{"ｔｄ", OptOut},
		{"ＳＴＯＰ", OptOut},
		{"Ｓｔｏｐ。", OptOut},
		{"n", OptOut},
		{"r!", OptOut},
		{"退订。", OptOut},
		{"  取消订阅！！", OptOut},
		{"Unsubscribe", OptOut},
		{"yes", OptIn},
		{"恢复！", OptIn},
		{"help?", Help},
		{"ｉｎｆｏ", Help},
	}
	for _, tt := range tests {
		if got := ClassifyKeyword(tt.in); got != tt.want {
			t.Errorf("ClassifyKeyword(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestClassifyKeywordNotKeywords(t *testing.T) {
	for _, in := range []string{
		"",
		"   ",
		"。",
		"我想退订套餐怎么办",
		"STOP calling me please",
		"please stop",
		"退订 谢谢",
		"回T退订",
		"TD退订",
		"T D",
		"STOP ALL",
		"STOPP",
		"STO",
		"Y",
		"NO",
		"no",
		"OK",
		"否",
		"你好",
		"取消订单",
		"订阅号",
		"帮助我",
		"HELP ME",
		"¿STOP",
		"(STOP)",
		"STOP😀",
		"1",
		"ſtop", // a long s is not an ASCII letter
	} {
		if got := ClassifyKeyword(in); got != NoKeyword {
			t.Errorf("ClassifyKeyword(%q) = %v, want none", in, got)
		}
	}
}

func TestKeywordString(t *testing.T) {
	for k, want := range map[Keyword]string{
		NoKeyword: "none", OptOut: "opt-out", OptIn: "opt-in", Help: "help", Keyword(9): "Keyword(9)",
	} {
		if got := k.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(k), got, want)
		}
	}
}
