package textnorm

import "strings"

// dialectWords maps regional and internet spellings of common function
// words to standard Mandarin, in pairs: south-western and northern
// question words (咋个, 啥子, 啷个), "no" and "know" (木有, 莫得, 晓得),
// internet slang (肿么, 神马, 灰常) and a few Cantonese particles (冇,
// 嘅, 点解). Only words with no other everyday meaning are listed, so a
// subscriber who writes them always means the standard word. Longer
// forms come before the shorter ones they contain (晓不得 before 晓得).
var dialectWords = []string{
	// Know, not know.
	"晓不得", "不知道",
	"不晓得", "不知道",
	"晓得", "知道",
	"唔知", "不知道",
	// How, what, why, where.
	"咋个", "怎么",
	"咋整", "怎么办",
	"咋搞", "怎么办",
	"咋", "怎么",
	"啷个", "怎么",
	"肿么", "怎么",
	"啥子", "什么",
	"神马", "什么",
	"乜嘢", "什么",
	"啥", "什么",
	"点解", "为什么",
	"边度", "哪里",
	// Have not, none.
	"木有", "没有",
	"莫得", "没有",
	"冇", "没有",
	// Pronouns, particles and intensifiers.
	"俺", "我",
	"侬", "你",
	"嘅", "的",
	"咗", "了",
	"唔系", "不是",
	"灰常", "非常",
	"酱紫", "这样子",
}

// dialectReplacer rewrites dialectWords; dialectFirst holds the first
// character of each, for a quick test that most messages need nothing.
var (
	dialectReplacer = strings.NewReplacer(dialectWords...)
	dialectFirst    = func() string {
		var b strings.Builder
		for i := 0; i < len(dialectWords); i += 2 {
			for _, r := range dialectWords[i] {
				if !strings.ContainsRune(b.String(), r) {
					b.WriteRune(r)
				}
				break
			}
		}
		return b.String()
	}()
)

// Standardize rewrites regional and internet spellings of common function
// words in s (咋个, 木有, 晓得) to standard Mandarin (怎么, 没有, 知道).
// s should already be folded to simplified characters. Text without such
// words is returned as is, without allocating.
func Standardize(s string) string {
	if !strings.ContainsAny(s, dialectFirst) {
		return s
	}
	return dialectReplacer.Replace(s)
}
