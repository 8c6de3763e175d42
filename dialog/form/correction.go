package form

import "hotline/dialog/textnorm"

// Correction recognises a wish to change an earlier answer ("地址说错了",
// "改一下电话", "the address is wrong", "change my number"): the text must
// have a correction word and a word naming a slot. It returns the slot
// whose longest word is found, the earlier slot on a tie. The engine asks
// it before Answer, since a correction is no answer to the current
// question, and then calls Reask with the slot.
func (f *Flow) Correction(text string) (string, bool) {
	norm := textnorm.Normalize(text)
	if longest(f.shared.correctWord, norm) == 0 {
		return "", false
	}
	var best *Slot
	bestSize := 0
	for _, s := range f.Slots {
		if size := s.names(norm); size > bestSize {
			best, bestSize = s, size
		}
	}
	if best == nil {
		return "", false
	}
	return best.Name, true
}

// Reask makes slot the current question again, leaving the confirm step if
// it was there, and returns the question. Its old answer stays until a new
// one replaces it; once answered, the form goes on to the next unanswered
// slot, or back to the summary. An unknown slot repeats the current
// question instead (an empty Prompt when confirming), which is also how to
// ask again after a restart: Reask(p, p.Slot, lang).
func (f *Flow) Reask(p *Progress, slot, lang string) Prompt {
	if p.Answers == nil {
		p.Answers = map[string]string{}
	}
	s := f.slot(slot)
	if s == nil && !p.Confirming {
		s = f.slot(p.Slot)
	}
	if s == nil {
		if p.Confirming {
			return Prompt{}
		}
		return f.next(p, lang).Prompt
	}

	if s.Name != p.Slot {
		p.Failures = 0
	}
	p.Slot, p.Confirming = s.Name, false
	return f.ask(p, s, lang)
}

// Names reports whether text names the slot by one of its words ("我不记得
// 号码了" names the number, "我忘了宽带账号" the account). The engine uses it
// to tell a remark about the question being asked from a question for the
// knowledge base. An unknown slot is named by nothing.
func (f *Flow) Names(slot, text string) bool {
	s := f.slot(slot)
	return s != nil && s.names(textnorm.Normalize(text)) > 0
}

// Corrected takes the new answer a correction carries for slot ("区域选错
// 了，应该是海淀", "号码错了，是13912345678"): the one choice the text names
// other than the old answer, or a value in one of the slot's formats other
// than the old one. It stores the answer and returns what comes next: the
// question that was pending, or the summary again. It reports false when
// the text carries no such answer (free-text slots never do), and the
// engine then asks the slot again with Reask.
func (f *Flow) Corrected(p *Progress, slot, text, lang string) (Outcome, bool) {
	s := f.slot(slot)
	if s == nil {
		return Outcome{}, false
	}
	if p.Answers == nil {
		p.Answers = map[string]string{}
	}
	v, ok := s.carried(text, p.Answers[s.Name])
	if !ok {
		return Outcome{}, false
	}

	p.Confirming = false
	f.fill(p, s, v)
	return f.next(p, lang), true
}

// carried finds a new answer to s in a correction's text, other than old.
func (s *Slot) carried(text, old string) (string, bool) {
	if s.kind == typeChoice {
		norm := textnorm.Normalize(text)
		others := make([]option, 0, len(s.options))
		for _, o := range s.options {
			if o.value != old {
				others = append(others, o)
			}
		}
		o, ok := mentionedOption(others, norm)
		return o.value, ok
	}
	for _, c := range candidates(text) {
		for _, fm := range s.formats {
			if v, ok := fm.match(c); ok && v != old {
				return v, true
			}
		}
	}
	return "", false
}
