package intent

import (
	"errors"
	"fmt"
	"regexp"
)

// compile builds the rule of one intent.
func (c compiler) compile(spec intentSpec, filler terms) (*rule, error) {
	r := &rule{name: Name(spec.Name)}
	var err error
	if r.whole.phrases, err = c.expand(spec.Whole); err != nil {
		return nil, fmt.Errorf("whole: %w", err)
	}
	r.whole.filler = filler
	if r.phrases, err = c.expand(spec.Phrases); err != nil {
		return nil, fmt.Errorf("phrases: %w", err)
	}
	if r.unless, err = c.expand(spec.Unless); err != nil {
		return nil, fmt.Errorf("unless: %w", err)
	}
	for i, cs := range spec.Combos {
		cb, err := c.combo(cs)
		if err != nil {
			return nil, fmt.Errorf("combo %d: %w", i+1, err)
		}
		r.combos = append(r.combos, cb)
	}
	for i, p := range spec.Patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("pattern %d: %w", i+1, err)
		}
		r.patterns = append(r.patterns, re)
	}
	if len(r.whole.phrases)+len(r.phrases)+len(r.combos)+len(r.patterns) == 0 {
		return nil, errors.New("no whole, phrases, combos or patterns")
	}
	return r, nil
}

func (c compiler) combo(cs comboSpec) (combo, error) {
	if len(cs.All) < 2 && (len(cs.All) == 0 || len(cs.Unless) == 0) {
		return combo{}, errors.New("all needs at least two groups, or one group with its own unless")
	}
	if cs.Within < 0 {
		return combo{}, errors.New("within must not be negative")
	}
	out := combo{within: cs.Within}
	for i, g := range cs.All {
		ts, err := c.expand(g)
		if err != nil {
			return combo{}, fmt.Errorf("group %d: %w", i+1, err)
		}
		if len(ts) == 0 {
			return combo{}, fmt.Errorf("group %d is empty", i+1)
		}
		out.groups = append(out.groups, ts)
	}
	unless, err := c.expand(cs.Unless)
	if err != nil {
		return combo{}, fmt.Errorf("unless: %w", err)
	}
	out.unless = unless
	return out, nil
}
