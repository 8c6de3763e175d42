package form

import (
	"errors"
	"fmt"
)

// Role tells the dialog engine what a slot holds without it knowing the
// slot's name: the number the fault is on, the number to call back, the
// district and the address.
type Role string

// The roles a slot may have; each at most once per flow.
const (
	RoleServiceNumber Role = "service_number"
	RoleContact       Role = "contact"
	RoleArea          Role = "area"
	RoleAddress       Role = "address"
)

var roles = map[Role]bool{
	"": true, RoleServiceNumber: true, RoleContact: true, RoleArea: true, RoleAddress: true,
}

// Slot types.
const (
	typeChoice = "choice"
	typeText   = "text"
	typeFormat = "format"
)

// Default lengths of free text, in characters.
const (
	defaultMinLength = 2
	defaultMaxLength = 500
)

// Slot is one question of a flow. Its fields are read-only.
type Slot struct {
	// Name identifies the slot in the conversation record and in tickets.
	Name string
	// Role says what the slot holds, or is empty.
	Role Role
	// Label names the slot in summaries.
	Label Text
	// Optional slots may be skipped.
	Optional bool
	// Sensitive values are masked in summaries for agents and logs.
	Sensitive bool

	kind     string
	prompt   Text
	reprompt Text
	formats  []*format
	options  []option
	freeText bool
	minLen   int
	maxLen   int
	words    []phrase
	extract  bool
	dflt     *fallback
}

// fallback is a slot's default taken from another slot.
type fallback struct {
	from    Role
	formats []*format
	ask     bool
}

// buildSlot checks and compiles one slot; where names it in errors.
func (b *builder) buildSlot(where string, spec slotSpec) (*Slot, error) {
	if !namePattern.MatchString(spec.Name) {
		return nil, fmt.Errorf("name %q: want lower case letters, digits and _", spec.Name)
	}
	if !roles[Role(spec.Role)] {
		return nil, fmt.Errorf("role %q: want service_number, contact, area or address", spec.Role)
	}
	s := &Slot{Name: spec.Name, Role: Role(spec.Role), Label: spec.Label, Optional: spec.Optional,
		Sensitive: spec.Sensitive, kind: spec.Type, prompt: spec.Prompt, reprompt: spec.Reprompt,
		freeText: spec.FreeText, minLen: spec.MinLength, maxLen: spec.MaxLength,
		words: phrases(spec.Words...), extract: spec.Extract}

	err := errors.Join(
		b.text(where, "label", spec.Label),
		b.text(where, "prompt", spec.Prompt),
		b.text(where, "reprompt", spec.Reprompt),
		b.checkLengths(s),
		b.slotType(where, s, spec),
		b.slotDefault(s, spec.Default),
	)
	return s, err
}

// slotType checks what the slot's type needs and compiles it.
func (b *builder) slotType(where string, s *Slot, spec slotSpec) error {
	switch spec.Type {
	case typeChoice:
		return b.slotChoices(where, s, spec.Choices)
	case typeFormat:
		var err error
		s.formats, err = b.formatList(spec.Formats)
		return err
	case typeText:
		if spec.Extract {
			return errors.New("extract: only choice and format slots can be extracted")
		}
		return nil
	}
	return fmt.Errorf("type %q: want choice, text or format", spec.Type)
}

// slotChoices compiles the choices of a choice slot.
func (b *builder) slotChoices(where string, s *Slot, specs []optionSpec) error {
	if len(specs) == 0 {
		return errors.New("a choice slot needs choices")
	}
	var errs []error
	seen := map[string]bool{}
	for _, o := range specs {
		if !namePattern.MatchString(o.Value) {
			err := fmt.Errorf("choice %q: want lower case letters, digits and _", o.Value)
			errs = append(errs, err)
			continue
		}
		if seen[o.Value] {
			errs = append(errs, fmt.Errorf("choice %s: defined twice", o.Value))
		}
		seen[o.Value] = true
		errs = append(errs, b.text(where, "choice "+o.Value+": label", o.Label))
		s.options = append(s.options, newOption(o))
	}
	return errors.Join(errs...)
}

// checkLengths fills in default lengths of free text and checks them.
func (b *builder) checkLengths(s *Slot) error {
	if s.minLen == 0 {
		s.minLen = defaultMinLength
	}
	if s.maxLen == 0 {
		s.maxLen = defaultMaxLength
	}
	if s.minLen < 1 || s.maxLen < s.minLen {
		return fmt.Errorf("min_length %d, max_length %d: want 1 <= min <= max", s.minLen, s.maxLen)
	}
	return nil
}

// formatList looks up formats by name.
func (b *builder) formatList(names []string) ([]*format, error) {
	if len(names) == 0 {
		return nil, errors.New("formats: none named")
	}
	out := make([]*format, 0, len(names))
	for _, name := range names {
		f, ok := b.formats[name]
		if !ok {
			return nil, fmt.Errorf("formats: unknown format %q", name)
		}
		out = append(out, f)
	}
	return out, nil
}

// slotDefault compiles a slot's default.
func (b *builder) slotDefault(s *Slot, spec *defaultSpec) error {
	if spec == nil {
		return nil
	}
	if Role(spec.From) == "" || !roles[Role(spec.From)] || Role(spec.From) == s.Role {
		return fmt.Errorf("default: from %q: want the role of another slot", spec.From)
	}
	formats, err := b.formatList(spec.Formats)
	if err != nil {
		return fmt.Errorf("default: %w", err)
	}
	s.dflt = &fallback{from: Role(spec.From), formats: formats, ask: spec.Ask}
	return nil
}

// names returns the size of the longest of the slot's words found in the
// normalised text, or 0 when the text does not name the slot.
func (s *Slot) names(norm string) int { return longest(s.words, norm) }
