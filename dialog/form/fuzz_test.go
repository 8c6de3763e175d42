package form

import (
	"testing"
	"unicode/utf8"
)

// FuzzAnswer feeds arbitrary text and payloads to every flow and slot and
// checks that nothing panics, results stay in range, stored answers are
// valid UTF-8 and survive the conversation record, and summaries render.
// Seeds are in testdata/fuzz/FuzzAnswer.
func FuzzAnswer(f *testing.F) {
	fs := loadShipped(f)
	f.Add("138 1234 5678", "", uint8(0), uint8(0))
	f.Add("朝阳", "form:choice:area:chaoyang", uint8(2), uint8(1))

	f.Fuzz(func(t *testing.T, text, payload string, flowPick, slotPick uint8) {
		all := fs.flows
		fl := all[int(flowPick)%len(all)]
		s := fl.Slots[int(slotPick)%len(fl.Slots)]

		p, _ := fl.Start("fuzz", text, LangEn)
		fl.Reask(&p, s.Name, LangZh)
		out := fl.Answer(&p, text, payload, LangZh)
		if out.Result < Next || out.Result > Complete {
			t.Fatalf("result %v out of range", out.Result)
		}
		for name, v := range p.Answers {
			if !utf8.ValidString(v) {
				t.Fatalf("slot %s: answer %q is not UTF-8", name, v)
			}
		}

		q := storeAndLoad(t, p)
		if len(q.Answers) != len(p.Answers) {
			t.Fatalf("record lost answers: %v != %v", q.Answers, p.Answers)
		}
		_ = fl.Summary(q, LangEn, true)
		_, _ = fl.Correction(text)
		_, _ = fs.Detect(text)
		_, _ = fs.Choose(text, payload)
	})
}
