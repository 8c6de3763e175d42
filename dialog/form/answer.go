package form

import (
	"strings"
	"unicode/utf8"

	"hotline/dialog/textnorm"
)

// Result says what an answer led to.
type Result int

// The results of Start and Answer.
const (
	// Next: the answer was taken; ask the Prompt.
	Next Result = iota + 1
	// Invalid: the answer did not fit; the Prompt asks again and explains.
	Invalid
	// TooManyFailures: the flow's limit of invalid answers to one question
	// is reached; the engine should offer a human. The Prompt asks again
	// in case the subscriber goes on.
	TooManyFailures
	// Complete: every slot is filled; show the Summary to confirm.
	Complete
)

// String names the result, for logs and test failures.
func (r Result) String() string {
	switch r {
	case Next:
		return "next"
	case Invalid:
		return "invalid"
	case TooManyFailures:
		return "too many failures"
	case Complete:
		return "complete"
	}
	return "unknown result"
}

// Outcome is the result of an answer and what to say next.
type Outcome struct {
	Result Result
	// Slot is the slot the Prompt asks for; empty when Complete.
	Slot   string
	Prompt Prompt
}

// Start begins the flow for form instance id. Slots marked extract are
// filled from the subscriber's opening message when it names their answer
// ("没信号，从今天早上开始" fills the time it started), so the bot does not
// ask what it was told. The outcome is the first question, or Complete in
// the unusual case that the opening message answered everything.
func (f *Flow) Start(id, opening, lang string) (Progress, Outcome) {
	p := Progress{ID: id, Flow: f.Name, Answers: map[string]string{}}
	f.prefill(&p, opening)
	return p, f.next(&p, lang)
}

// prefill takes the answers of extractable slots from the opening message.
func (f *Flow) prefill(p *Progress, opening string) {
	norm := textnorm.Normalize(opening)
	for _, s := range f.Slots {
		if !s.extract {
			continue
		}
		if s.kind == typeChoice {
			if o, ok := mentionedOption(s.options, norm); ok {
				p.Answers[s.Name] = o.value
			}
			continue
		}
		if v, ok := findFormat(s.formats, opening); ok {
			p.Answers[s.Name] = v
		}
	}
}

// Answer takes the subscriber's answer to the current question: the typed
// text, or the payload of a quick reply they tapped (payloads of other
// questions are ignored and the text is read instead). p must have been
// started by f. A p whose current slot the flow no longer has, after the
// flows file changed, moves on to the next question without using the
// answer. Answer never panics, whatever the input.
func (f *Flow) Answer(p *Progress, text, payload, lang string) Outcome {
	if p.Answers == nil {
		p.Answers = map[string]string{}
	}
	if p.Confirming {
		return Outcome{Result: Complete}
	}
	s := f.slot(p.Slot)
	if s == nil {
		return f.next(p, lang)
	}

	v, ok := f.read(p, s, text, payload)
	if !ok {
		return f.fail(p, s, lang)
	}

	f.fill(p, s, v)
	return f.next(p, lang)
}

// next moves to the first slot without an answer, filling silent defaults
// on the way, and asks it; Complete when there is none.
func (f *Flow) next(p *Progress, lang string) Outcome {
	for _, s := range f.Slots {
		if _, done := p.Answers[s.Name]; done {
			continue
		}
		if v, ok := f.defaultValue(p, s); ok && !s.dflt.ask {
			p.Answers[s.Name] = v
			continue
		}
		if p.Slot != s.Name {
			p.Slot, p.Failures = s.Name, 0
		}
		return Outcome{Result: Next, Slot: s.Name, Prompt: f.ask(p, s, lang)}
	}
	p.Slot, p.Failures, p.Confirming = "", 0, true
	return Outcome{Result: Complete}
}

// fail counts an invalid answer and asks again.
func (f *Flow) fail(p *Progress, s *Slot, lang string) Outcome {
	p.Failures++
	out := Outcome{Result: Invalid, Slot: s.Name, Prompt: f.reprompt(p, s, lang)}
	if p.Failures >= f.MaxFailures {
		out.Result = TooManyFailures
	}
	return out
}

// fill stores an answer. When a slot others take their default from
// changes, answers still equal to the old default are dropped, so they are
// filled or offered again from the new one.
func (f *Flow) fill(p *Progress, s *Slot, v string) {
	old, had := p.Answers[s.Name]
	p.Answers[s.Name] = v
	p.Failures = 0
	if !had || old == v || old == "" || s.Role == "" {
		return
	}
	for _, t := range f.Slots {
		if t.dflt != nil && t.dflt.from == s.Role && p.Answers[t.Name] == old {
			delete(p.Answers, t.Name)
		}
	}
}

// defaultValue returns the default of slot s from the answers so far.
func (f *Flow) defaultValue(p *Progress, s *Slot) (string, bool) {
	if s.dflt == nil {
		return "", false
	}
	src := f.byRole(s.dflt.from)
	if src == nil || p.Answers[src.Name] == "" {
		return "", false
	}
	v := p.Answers[src.Name]
	for _, fm := range s.dflt.formats {
		if _, ok := fm.match(v); ok {
			return v, true
		}
	}
	return "", false
}

// read checks an answer to slot s and returns the value to store.
func (f *Flow) read(p *Progress, s *Slot, text, payload string) (string, bool) {
	if v, ok := f.readPayload(p, s, payload); ok {
		return v, true
	}
	norm := textnorm.Normalize(text)
	if s.Optional && whole(f.shared.skipWords, norm) {
		return "", true
	}
	if v, ok := f.defaultValue(p, s); ok && whole(f.shared.sameWords, norm) {
		return v, true
	}
	return s.read(text)
}

// readPayload reads a quick reply meant for slot s.
func (f *Flow) readPayload(p *Progress, s *Slot, pl string) (string, bool) {
	kind, name, value, ok := parsePayload(pl)
	if !ok || name != s.Name {
		return "", false
	}
	switch kind {
	case payloadSkip:
		return "", s.Optional
	case payloadSame:
		return f.defaultValue(p, s)
	case payloadChoice:
		o, ok := findOption(s.options, value)
		return o.value, ok
	}
	return "", false
}

// read checks a typed answer against the slot's type.
func (s *Slot) read(text string) (string, bool) {
	switch s.kind {
	case typeChoice:
		if o, ok := pickOption(s.options, text); ok {
			return o.value, true
		}
		if s.freeText {
			return s.readText(text)
		}
		return "", false
	case typeFormat:
		return findFormat(s.formats, text)
	}
	return s.readText(text)
}

// readText checks free text: it must have a letter, digit or Chinese
// character and fit the slot's length, counted in characters.
func (s *Slot) readText(text string) (string, bool) {
	t := strings.TrimSpace(strings.ToValidUTF8(text, ""))
	n := utf8.RuneCountInString(t)
	if n < s.minLen || n > s.maxLen || textnorm.Normalize(t) == "" {
		return "", false
	}
	return t, true
}
