package form

import "strings"

// PayloadPrefix starts the payload of every quick reply this package makes;
// the engine passes such payloads back to Answer or Choose.
const PayloadPrefix = "form:"

// Payload kinds after PayloadPrefix.
const (
	payloadChoice = "choice" // form:choice:<slot>:<value>
	payloadSkip   = "skip"   // form:skip:<slot>
	payloadSame   = "same"   // form:same:<slot>
	payloadFlow   = "flow"   // form:flow:<flow>
)

// Prompt is what the bot says next: a text and the quick replies to offer.
type Prompt struct {
	Text    string
	Choices []Choice
}

// Choice is one quick reply button. A channel without buttons may list the
// labels; the subscriber can then type a label or its number.
type Choice struct {
	Label   string
	Payload string
}

// payload builds a quick reply payload from its parts.
func payload(parts ...string) string {
	return PayloadPrefix + strings.Join(parts, ":")
}

// parsePayload splits a payload into its kind, slot or flow, and value.
// It returns false for a payload that is not this package's.
func parsePayload(p string) (kind, name, value string, ok bool) {
	rest, ok := strings.CutPrefix(p, PayloadPrefix)
	if !ok {
		return "", "", "", false
	}
	parts := strings.SplitN(rest, ":", 3)
	if len(parts) < 2 {
		return "", "", "", false
	}
	if len(parts) == 3 {
		value = parts[2]
	}
	return parts[0], parts[1], value, true
}

// ask is the question for slot s, with its quick replies.
func (f *Flow) ask(p *Progress, s *Slot, lang string) Prompt {
	return Prompt{Text: s.prompt.In(lang), Choices: f.choices(p, s, lang)}
}

// reprompt is the question again after an invalid answer, explaining what
// is expected.
func (f *Flow) reprompt(p *Progress, s *Slot, lang string) Prompt {
	return Prompt{Text: s.reprompt.In(lang), Choices: f.choices(p, s, lang)}
}

// choices are the quick replies for slot s: its choices, the offered
// default and a skip button for an optional slot.
func (f *Flow) choices(p *Progress, s *Slot, lang string) []Choice {
	var out []Choice
	for _, o := range s.options {
		pl := payload(payloadChoice, s.Name, o.value)
		out = append(out, Choice{Label: o.label.In(lang), Payload: pl})
	}
	if v, ok := f.defaultValue(p, s); ok {
		label := strings.ReplaceAll(f.shared.sameLabel.In(lang), "{number}", maskNumber(v))
		out = append(out, Choice{Label: label, Payload: payload(payloadSame, s.Name)})
	}
	if s.Optional {
		skip := Choice{Label: f.shared.skipLabel.In(lang), Payload: payload(payloadSkip, s.Name)}
		out = append(out, skip)
	}
	return out
}
