package form

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// defaultMaxFailures is how many invalid answers to one question a flow
// accepts before the bot offers a human, when the flow does not say.
const defaultMaxFailures = 3

// namePattern is the shape of flow, slot and choice names; they appear in
// quick reply payloads and in the conversation record.
var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// builder turns the file layout into flows, collecting every problem.
type builder struct {
	spec    fileSpec
	formats map[string]*format
	shared  *shared
	texts   []namedText
	errs    []error
}

// build checks the file and compiles it.
func build(spec fileSpec) (*Flows, error) {
	b := &builder{spec: spec, formats: map[string]*format{}}
	b.buildFormats()
	b.buildShared()
	b.checkSharedSlots()

	fs := &Flows{byName: map[string]*Flow{}, menu: spec.Menu}
	for i, fspec := range spec.Flows {
		f, err := b.buildFlow(fspec)
		if err != nil {
			b.errs = append(b.errs, fmt.Errorf("flow %s: %w", flowLabel(i, fspec.Name), err))
			continue
		}
		b.addFlow(fs, f)
	}
	b.checkFlows(fs)
	if len(b.errs) > 0 {
		return nil, errors.Join(b.errs...)
	}
	fs.texts = b.texts
	return fs, nil
}

// text checks a text and remembers it for Lint. The error names the
// field; Lint names the full place, where + field.
func (b *builder) text(where, field string, t Text) error {
	b.texts = append(b.texts, namedText{where: where + field, text: t})
	return t.check(field)
}

// flowLabel names a flow in errors, by its position when it has no name.
func flowLabel(i int, name string) string {
	if name == "" {
		return fmt.Sprintf("#%d", i+1)
	}
	return name
}

func (b *builder) fail(err error) {
	if err != nil {
		b.errs = append(b.errs, err)
	}
}

func (b *builder) buildFormats() {
	names := make([]string, 0, len(b.spec.Formats))
	for name := range b.spec.Formats {
		names = append(names, name)
	}
	sort.Strings(names)

	for _, name := range names {
		f, err := newFormat(name, b.spec.Formats[name])
		if err != nil {
			b.fail(err)
			continue
		}
		where := "format " + name + ": description"
		b.texts = append(b.texts, namedText{where: where, text: f.description})
		b.formats[name] = f
	}
}

// buildShared reads the skip, same-number and correction words.
func (b *builder) buildShared() {
	s := b.spec
	b.fail(b.text("skip: ", "label", s.Skip.Label))
	b.fail(b.text("same: ", "label", s.Same.Label))
	b.fail(b.text("", "menu", s.Menu))
	if len(s.Skip.Words) == 0 || len(s.Same.Words) == 0 || len(s.Correction.Words) == 0 {
		b.fail(errors.New("skip, same and correction each need words"))
	}
	b.shared = &shared{
		skipLabel:   s.Skip.Label,
		skipWords:   phrases(s.Skip.Words...),
		sameLabel:   s.Same.Label,
		sameWords:   phrases(s.Same.Words...),
		correctWord: phrases(s.Correction.Words...),
	}
}

// checkSharedSlots checks each shared slot on its own, so a mistake in one
// is reported once and not only through the flows that use it.
func (b *builder) checkSharedSlots() {
	names := make([]string, 0, len(b.spec.Slots))
	for name := range b.spec.Slots {
		names = append(names, name)
	}
	sort.Strings(names)

	for _, name := range names {
		node := b.spec.Slots[name]
		spec := slotSpec{Name: name}
		if err := strictDecode(&node, &spec); err != nil {
			b.fail(fmt.Errorf("shared slot %s: %w", name, err))
			continue
		}
		scratch := &builder{formats: b.formats, shared: b.shared}
		if _, err := scratch.buildSlot("", spec); err != nil {
			b.fail(fmt.Errorf("shared slot %s: %w", name, err))
		}
	}
}

func (b *builder) addFlow(fs *Flows, f *Flow) {
	if _, dup := fs.byName[f.Name]; dup {
		b.fail(fmt.Errorf("flow %s: defined twice", f.Name))
		return
	}
	fs.byName[f.Name] = f
	fs.flows = append(fs.flows, f)
}

// checkFlows checks the file as a whole: flows exist and at most one of
// them is the complaint.
func (b *builder) checkFlows(fs *Flows) {
	if len(b.spec.Flows) == 0 {
		b.fail(errors.New("flows: none defined"))
	}
	complaints := 0
	for _, f := range fs.flows {
		if f.Kind == KindComplaint {
			complaints++
		}
	}
	if complaints > 1 {
		b.fail(fmt.Errorf("flows: %d complaint flows, want at most one", complaints))
	}
}

// slotSpec reads a slot of a flow, starting from the shared slot it uses.
// Fields the flow sets replace the shared ones whole: a prompt set in the
// flow keeps nothing of the shared prompt.
func (b *builder) slotSpec(node yaml.Node) (slotSpec, error) {
	var head slotSpec
	if err := strictDecode(&node, &head); err != nil {
		return slotSpec{}, err
	}

	var spec slotSpec
	if head.Use != "" {
		base, ok := b.spec.Slots[head.Use]
		if !ok {
			return slotSpec{}, fmt.Errorf("uses unknown shared slot %q", head.Use)
		}
		if err := strictDecode(&base, &spec); err != nil {
			return slotSpec{}, fmt.Errorf("shared slot %s: %w", head.Use, err)
		}
		if spec.Name == "" {
			spec.Name = head.Use
		}
		resetFields(&node, &spec)
	}
	err := strictDecode(&node, &spec)
	return spec, err
}

// resetFields zeroes the fields of spec that the mapping node sets, so that
// decoding the node replaces maps and lists instead of merging into them.
func resetFields(node *yaml.Node, spec *slotSpec) {
	v := reflect.ValueOf(spec).Elem()
	for i := 0; i+1 < len(node.Content); i += 2 {
		if f, ok := yamlField(v.Type(), node.Content[i].Value); ok {
			v.FieldByIndex(f.Index).SetZero()
		}
	}
}

// strictDecode decodes a slot, rejecting fields the layout does not have,
// at any depth, with the line they are on. Fields already set in out stay
// unless the node sets them.
func strictDecode(node *yaml.Node, out *slotSpec) error {
	if err := checkFields(node, reflect.TypeFor[slotSpec]()); err != nil {
		return err
	}
	return node.Decode(out)
}

// checkFields reports the first mapping key in node that the Go type t
// does not have as a yaml field.
func checkFields(node *yaml.Node, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Slice && node.Kind == yaml.SequenceNode:
		for _, item := range node.Content {
			if err := checkFields(item, t.Elem()); err != nil {
				return err
			}
		}
	case t.Kind() == reflect.Struct && node.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(node.Content); i += 2 {
			key := node.Content[i]
			field, ok := yamlField(t, key.Value)
			if !ok {
				return fmt.Errorf("line %d: unknown field %q", key.Line, key.Value)
			}
			if err := checkFields(node.Content[i+1], field.Type); err != nil {
				return err
			}
		}
	}
	return nil
}

// yamlField finds the field of struct type t with the given yaml name.
func yamlField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag == name {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}
