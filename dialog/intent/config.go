package intent

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// routerFile is the YAML layout of the phrase file.
type routerFile struct {
	Lists   map[string][]string `yaml:"lists"`
	Filler  []string            `yaml:"filler"`
	Intents []intentSpec        `yaml:"intents"`
}

type intentSpec struct {
	Name     string      `yaml:"name"`
	Whole    []string    `yaml:"whole"`
	Phrases  []string    `yaml:"phrases"`
	Combos   []comboSpec `yaml:"combos"`
	Patterns []string    `yaml:"patterns"`
	Unless   []string    `yaml:"unless"`
}

type comboSpec struct {
	All    []group  `yaml:"all"`
	Within int      `yaml:"within"`
	Unless []string `yaml:"unless"`
}

// group is one element of a combination: a term, a $list, or a sequence of
// terms and lists.
type group []string

// UnmarshalYAML accepts a scalar or a sequence of scalars.
func (g *group) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*g = group{n.Value}
		return nil
	}
	var items []string
	if err := n.Decode(&items); err != nil {
		return err
	}
	*g = items
	return nil
}

// compiler turns the file into rules, resolving $list references.
type compiler struct {
	lists map[string][]string
	// spent counts the terms made so far for the whole file, shared by
	// the copies of the compiler; nil means newCompiler was not used.
	spent *int
}

// maxTerms bounds the terms a phrase file may expand to. Lists that refer
// to other lists more than once multiply, so a short file could otherwise
// ask for more terms than memory holds; the shipped file makes about two
// thousand.
const maxTerms = 50_000

// newCompiler is a compiler of the given lists with a fresh term budget.
func newCompiler(lists map[string][]string) compiler {
	return compiler{lists: lists, spent: new(int)}
}

// expand returns the terms of items, with each $name replaced by the list.
func (c compiler) expand(items []string) (terms, error) {
	var out terms
	for _, item := range items {
		if name, ok := strings.CutPrefix(item, "$"); ok {
			list, found := c.lists[name]
			if !found {
				return nil, fmt.Errorf("unknown list $%s", name)
			}
			more, err := c.expand(list)
			if err != nil {
				return nil, fmt.Errorf("list $%s: %w", name, err)
			}
			out = append(out, more...)
			continue
		}
		if c.spent != nil {
			if *c.spent >= maxTerms {
				return nil, fmt.Errorf("the lists expand to more than %d terms", maxTerms)
			}
			*c.spent++
		}
		t, ok := newTerm(item)
		if !ok {
			return nil, errors.New("a term is empty")
		}
		out = append(out, t)
	}
	return out, nil
}

// listsAcyclic rejects lists that refer to themselves, directly or not.
func (c compiler) listsAcyclic() error {
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(name string) error
	visit = func(name string) error {
		switch state[name] {
		case 1:
			return fmt.Errorf("list $%s refers to itself", name)
		case 2:
			return nil
		}
		state[name] = 1
		for _, item := range c.lists[name] {
			if ref, ok := strings.CutPrefix(item, "$"); ok {
				if err := visit(ref); err != nil {
					return err
				}
			}
		}
		state[name] = 2
		return nil
	}
	for name := range c.lists {
		if err := visit(name); err != nil {
			return err
		}
	}
	return nil
}
