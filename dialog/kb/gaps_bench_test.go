package kb

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// kbevalDir holds a knowledge base and questions from real subscribers,
// kept outside the module; tests that need it skip when it is missing.
const kbevalDir = "../../../shared/kbeval"

func BenchmarkGaps(b *testing.B) {
	seeds := gapSeedTexts(b)
	for _, n := range []int{1000, 10000, 20000} {
		qs := generateGapQuestions(seeds, n, rand.New(rand.NewPCG(1, uint64(n))))
		b.Run(fmt.Sprintf("questions=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Gaps(qs, GapOptions{})
			}
		})
	}
}

// gapSeedTexts returns the wordings questions are generated from: the
// kbeval questions and entry wordings when they are there, else those of
// testdata/telecom.yaml.
func gapSeedTexts(tb testing.TB) []string {
	tb.Helper()
	path := kbevalDir + "/kb.yaml"
	if _, err := os.Stat(path); err != nil {
		path = "testdata/telecom.yaml"
	}
	base, err := Load(path)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, e := range base.Entries() {
		out = append(out, e.phrasings()...)
	}
	for _, c := range loadEvalCases(tb) {
		out = append(out, c.Text)
	}
	return out
}

// evalCase is one labelled question of kbeval's cases file.
type evalCase struct {
	Text   string `yaml:"text"`
	Expect string `yaml:"expect"`
}

// loadEvalCases reads kbeval's labelled questions, none when the
// directory is missing.
func loadEvalCases(tb testing.TB) []evalCase {
	tb.Helper()
	data, err := os.ReadFile(kbevalDir + "/cases-dev.yaml")
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		tb.Fatal(err)
	}
	var f struct {
		Cases []evalCase `yaml:"cases"`
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		tb.Fatal(err)
	}
	return f.Cases
}

// Variations subscribers add around a question.
var (
	gapPrefixes = []string{"", "", "", "你好，", "请问", "您好 ", "我想问一下，", "客服，", "hi, ", "急！"}
	gapSuffixes = []string{"", "", "", "？", "?", "啊", "呢", "，谢谢", "。。。", "！！", " 在线等"}
)

// generateGapQuestions returns n questions made from the seeds as
// subscribers vary them: greetings and particles around the question, a
// phone or order number quoted, a character dropped, and popular
// wordings asked again word for word, a second question run on now and
// then, from about n/10 conversations over
// 30 days.
func generateGapQuestions(seeds []string, n int, r *rand.Rand) []GapQuestion {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	out := make([]GapQuestion, 0, n)
	for len(out) < n {
		var text string
		if len(out) > 0 && r.IntN(3) == 0 {
			text = out[r.IntN(len(out))].Text
		} else {
			text = varyQuestion(seeds[zipfIndex(r, len(seeds))], r)
		}
		if r.IntN(5) == 0 {
			text += "，还有" + seeds[r.IntN(len(seeds))]
		}
		out = append(out, GapQuestion{
			ConversationID: fmt.Sprintf("c%d", r.IntN(n/10+1)),
			Text:           text,
			BestEntry:      fmt.Sprintf("entry_%d", r.IntN(50)),
			Suggested:      r.IntN(2) == 0,
			At:             start.Add(time.Duration(r.Int64N(int64(30 * 24 * time.Hour)))),
		})
	}
	return out
}

// zipfIndex picks an index below n, the small ones much more often.
func zipfIndex(r *rand.Rand, n int) int {
	return int(float64(n) * r.Float64() * r.Float64())
}

// varyQuestion wraps the seed in a greeting and a particle and now and
// then quotes a number or drops a character.
func varyQuestion(seed string, r *rand.Rand) string {
	runes := []rune(seed)
	if len(runes) > 4 && r.IntN(4) == 0 {
		i := r.IntN(len(runes))
		runes = append(runes[:i:i], runes[i+1:]...)
	}
	var b strings.Builder
	b.WriteString(gapPrefixes[r.IntN(len(gapPrefixes))])
	switch r.IntN(8) {
	case 0:
		fmt.Fprintf(&b, "我的号码1%d%09d，", 3+r.IntN(7), r.IntN(1e9))
	case 1:
		fmt.Fprintf(&b, "订单%012d ", r.Int64N(1e12))
	}
	b.WriteString(string(runes))
	b.WriteString(gapSuffixes[r.IntN(len(gapSuffixes))])
	return b.String()
}
