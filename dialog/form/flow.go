package form

import (
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Kinds of flow.
const (
	KindFault     = "fault"
	KindComplaint = "complaint"
	// KindRequest is a request such as a call back; the engine starts it
	// by name, never from a message's keywords or the fault menu.
	KindRequest = "request"
)

// services a fault flow may belong to; the dialog engine matches a fault
// report to declared network outages by service and area.
var services = map[string]bool{
	"": true, "mobile": true, "broadband": true, "tv": true, "landline": true,
}

// Flow is one form: a fault category or the complaint. Its fields are
// read-only.
type Flow struct {
	// Name identifies the flow in the conversation record and in tickets.
	Name string
	// Kind is KindFault, KindComplaint or KindRequest.
	Kind string
	// Service is mobile, broadband, tv, landline, or empty when the flow
	// belongs to no one service.
	Service string
	// Title names the flow to the subscriber and on the ticket.
	Title Text
	// MaxFailures is how many invalid answers to one question are accepted
	// before Answer returns TooManyFailures.
	MaxFailures int
	// Slots are the questions in the order they are asked.
	Slots []*Slot

	keywords []phrase
	shared   *shared
}

// shared holds the words every flow understands.
type shared struct {
	skipLabel   Text
	skipWords   []phrase
	sameLabel   Text
	sameWords   []phrase
	correctWord []phrase
}

// buildFlow checks and compiles one flow.
func (b *builder) buildFlow(spec flowSpec) (*Flow, error) {
	f := &Flow{Name: spec.Name, Kind: spec.Kind, Service: spec.Service, Title: spec.Title,
		MaxFailures: defaultMaxFailures, keywords: phrases(spec.Keywords...), shared: b.shared}
	if err := b.checkFlowHead(spec); err != nil {
		return nil, err
	}
	if spec.MaxFailures != nil {
		f.MaxFailures = *spec.MaxFailures
	}

	var errs []error
	seen := map[string]bool{}
	roles := map[Role]string{}
	for i, node := range spec.Slots {
		s, err := b.flowSlot(spec.Name, i, node, seen, roles)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		f.Slots = append(f.Slots, s)
	}
	return f, errors.Join(errs...)
}

// checkFlowHead checks the fields of a flow other than its slots.
func (b *builder) checkFlowHead(spec flowSpec) error {
	switch {
	case !namePattern.MatchString(spec.Name):
		return fmt.Errorf("name %q: want lower case letters, digits and _", spec.Name)
	case spec.Kind != KindFault && spec.Kind != KindComplaint && spec.Kind != KindRequest:
		return fmt.Errorf("kind %q: want fault, complaint or request", spec.Kind)
	case !services[spec.Service]:
		return fmt.Errorf("service %q: want mobile, broadband, tv, landline or none", spec.Service)
	case spec.MaxFailures != nil && *spec.MaxFailures < 1:
		return fmt.Errorf("max_failures %d: want 1 or more", *spec.MaxFailures)
	case len(spec.Slots) == 0:
		return errors.New("no slots")
	}
	return b.text("flow "+spec.Name+": ", "title", spec.Title)
}

// flowSlot builds one slot of a flow and checks it is the only one with
// its name and role.
func (b *builder) flowSlot(flow string, i int, node yaml.Node, seen map[string]bool,
	roles map[Role]string) (*Slot, error) {
	spec, err := b.slotSpec(node)
	if err != nil {
		return nil, fmt.Errorf("slot #%d: %w", i+1, err)
	}
	s, err := b.buildSlot("flow "+flow+": slot "+spec.Name+": ", spec)
	if err != nil {
		return nil, fmt.Errorf("slot %s: %w", slotLabel(i, spec.Name), err)
	}
	if seen[s.Name] {
		return nil, fmt.Errorf("slot %s: the flow has this slot twice", s.Name)
	}
	seen[s.Name] = true
	if other, dup := roles[s.Role]; dup && s.Role != "" {
		return nil, fmt.Errorf("slot %s: role %s is already slot %s's", s.Name, s.Role, other)
	}
	roles[s.Role] = s.Name
	return s, nil
}

// slotLabel names a slot in errors, by its position when it has no name.
func slotLabel(i int, name string) string {
	if name == "" {
		return fmt.Sprintf("#%d", i+1)
	}
	return name
}

// slot returns the flow's slot with the given name, or nil.
func (f *Flow) slot(name string) *Slot {
	for _, s := range f.Slots {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// byRole returns the flow's slot with the given role, or nil.
func (f *Flow) byRole(r Role) *Slot {
	for _, s := range f.Slots {
		if s.Role == r && r != "" {
			return s
		}
	}
	return nil
}

// ByRole returns the answer of the flow's slot with role r, or "" when the
// flow has no such slot or it is not answered.
func (f *Flow) ByRole(p Progress, r Role) string {
	if s := f.byRole(r); s != nil {
		return p.Answers[s.Name]
	}
	return ""
}
