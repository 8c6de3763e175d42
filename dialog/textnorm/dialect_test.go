package textnorm

import (
	"strings"
	"testing"
)

func TestStandardize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"south-western how", "这个东西咋个弄", "这个东西怎么弄"},
		{"northern how", "咋整啊", "怎么办啊"},
		{"what", "啥子时候到", "什么时候到"},
		{"short what", "为啥不行", "为什么不行"},
		{"not have", "有木有人", "有没有人"},
		{"do not know", "我晓不得", "我不知道"},
		{"know", "晓得了", "知道了"},
		{"cantonese no", "冇用", "没有用"},
		{"internet slang", "肿么回事", "怎么回事"},
		{"standard text is untouched", "怎么得到积分", "怎么得到积分"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Standardize(tt.in); got != tt.want {
				t.Errorf("Standardize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestStandardize_TableShape checks that the table comes in pairs and
// that no standard form contains a regional one, so Normalize stays
// idempotent.
func TestStandardize_TableShape(t *testing.T) {
	if len(dialectWords)%2 != 0 {
		t.Fatalf("dialectWords has %d items, want pairs", len(dialectWords))
	}
	for i := 1; i < len(dialectWords); i += 2 {
		for j := 0; j < len(dialectWords); j += 2 {
			if strings.Contains(dialectWords[i], dialectWords[j]) {
				t.Errorf("standard form %q contains regional form %q", dialectWords[i], dialectWords[j])
			}
		}
	}
}

func TestStandardize_NoAllocationWithoutDialect(t *testing.T) {
	s := "宽带怎么报修"
	if n := testing.AllocsPerRun(100, func() { _ = Standardize(s) }); n != 0 {
		t.Errorf("Standardize allocates %v times on standard text", n)
	}
}
