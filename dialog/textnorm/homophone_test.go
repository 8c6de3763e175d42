package textnorm

import (
	"strings"
	"testing"
)

func TestHomophones(t *testing.T) {
	tests := []struct {
		name string
		r    rune
		want string
	}{
		{"first group", '刘', "流刘留琉硫浏"},
		{"group across a line break", '漫', "漫慢曼蔓谩"},
		{"character one pinyin letter away", '浪', "量两亮辆谅晾浪"},
		{"last group", '钓', "掉调吊钓"},
		{"character in no group", '猪', ""},
		{"latin letter", 'a', ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Homophones(tt.r); got != tt.want {
				t.Errorf("Homophones(%q) = %q, want %q", tt.r, got, tt.want)
			}
		})
	}
}

func TestHomophones_NoCharacterInTwoGroups(t *testing.T) {
	seen := map[rune]string{}
	for _, g := range strings.Fields(homophoneGroups) {
		for _, r := range g {
			if other, ok := seen[r]; ok {
				t.Errorf("%q is in %q and %q", r, other, g)
			}
			seen[r] = g
		}
	}
}
