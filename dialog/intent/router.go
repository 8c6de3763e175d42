package intent

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"

	"hotline/dialog/textnorm"
)

// ErrInvalid is wrapped by every error about the content of a phrase file.
var ErrInvalid = errors.New("invalid intent phrases")

// Router recognises intents from the phrases of a phrase file. It is
// immutable once built and safe for concurrent use.
type Router struct {
	rules []*rule // in file order; the first that matches wins
}

// LoadRouter reads and parses the phrase file at path. Errors name the
// file, and for invalid content the intent and rule (see ParseRouter).
func LoadRouter(path string) (*Router, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load intent phrases: %w", err)
	}
	r, err := ParseRouter(data)
	if err != nil {
		return nil, fmt.Errorf("intent phrases %s: %w", path, err)
	}
	return r, nil
}

// ParseRouter builds a Router from the YAML text of a phrase file. It
// returns an error wrapping ErrInvalid when the YAML is malformed, there
// are no intents, an intent has no name, a duplicate name or no rules, a
// $list is unknown or circular, the lists expand to more terms than
// maxTerms, a combination has fewer than two groups, or a pattern is not
// a valid regular expression.
func ParseRouter(data []byte) (*Router, error) {
	var f routerFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if len(f.Intents) == 0 {
		return nil, fmt.Errorf("%w: no intents", ErrInvalid)
	}

	c := newCompiler(f.Lists)
	if err := c.listsAcyclic(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	filler, err := c.expand(f.Filler)
	if err != nil {
		return nil, fmt.Errorf("%w: filler: %w", ErrInvalid, err)
	}
	return c.router(f.Intents, filler)
}

func (c compiler) router(specs []intentSpec, filler terms) (*Router, error) {
	r := &Router{}
	seen := map[string]bool{}
	for i, spec := range specs {
		if spec.Name == "" {
			return nil, fmt.Errorf("%w: intent %d: name is missing", ErrInvalid, i+1)
		}
		if seen[spec.Name] {
			return nil, fmt.Errorf("%w: intent %q is listed twice", ErrInvalid, spec.Name)
		}
		seen[spec.Name] = true
		rl, err := c.compile(spec, filler)
		if err != nil {
			return nil, fmt.Errorf("%w: intent %q: %w", ErrInvalid, spec.Name, err)
		}
		r.rules = append(r.rules, rl)
	}
	return r, nil
}

// Route returns the intent of the message, or None. Intents are tried in
// the order of the phrase file and the first that matches wins.
func (r *Router) Route(text string) Name {
	n, _ := r.route(text)
	return n
}

// route is Route that also returns which clause of the intent's rule
// matched (see rule.matchedClause), or noClause with None.
func (r *Router) route(text string) (Name, int) {
	s := textnorm.Normalize(text)
	if s == "" {
		return None, noClause
	}
	for _, rl := range r.rules {
		if c := rl.matchedClause(s); c != noClause {
			return rl.name, c
		}
	}
	return None, noClause
}

// Names returns the intents of the phrase file in order.
func (r *Router) Names() []Name {
	out := make([]Name, len(r.rules))
	for i, rl := range r.rules {
		out[i] = rl.name
	}
	return out
}
