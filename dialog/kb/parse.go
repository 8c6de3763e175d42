package kb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ErrInvalid is wrapped by every error about the content of a knowledge
// base (as opposed to an error reading the file).
var ErrInvalid = errors.New("invalid knowledge base")

// Load reads the knowledge base file at path and parses it with the
// default options. Errors name the file, and for invalid content the entry
// and field (see Parse).
func Load(path string) (*Base, error) {
	return LoadWithOptions(path, DefaultOptions())
}

// LoadWithOptions is Load with the given options.
func LoadWithOptions(path string, o Options) (*Base, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load knowledge base: %w", err)
	}
	b, err := ParseWithOptions(data, o)
	if err != nil {
		return nil, fmt.Errorf("knowledge base %s: %w", path, err)
	}
	return b, nil
}

// Parse builds a Base with the default options from the YAML text of a
// knowledge base file. It returns an error wrapping ErrInvalid when the
// YAML is malformed, there are no entries, an entry lacks an id, two
// entries share an id, or an entry has an empty question, alternate or
// answer; the error names the entry by id or position.
func Parse(data []byte) (*Base, error) {
	return ParseWithOptions(data, DefaultOptions())
}

// ParseWithOptions is Parse with the given options.
func ParseWithOptions(data []byte, o Options) (*Base, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := validate(f); err != nil {
		return nil, err
	}
	return build(f.Entries, f.Synonyms, o), nil
}

// validate checks the rules Parse documents.
func validate(f file) error {
	if len(f.Entries) == 0 {
		return fmt.Errorf("%w: no entries", ErrInvalid)
	}
	seen := make(map[string]int, len(f.Entries))
	for i, e := range f.Entries {
		if e == nil {
			return fmt.Errorf("%w: entry %d is empty", ErrInvalid, i+1)
		}
		e.ID = strings.TrimSpace(e.ID)
		if e.ID == "" {
			return fmt.Errorf("%w: entry %d: id is missing", ErrInvalid, i+1)
		}
		if first, ok := seen[e.ID]; ok {
			return fmt.Errorf("%w: entry %d: id %q is already used by entry %d",
				ErrInvalid, i+1, e.ID, first)
		}
		seen[e.ID] = i + 1
		if err := validateEntry(e); err != nil {
			return fmt.Errorf("%w: entry %q: %w", ErrInvalid, e.ID, err)
		}
	}
	return validateSynonyms(f.Synonyms)
}

func validateEntry(e *Entry) error {
	if strings.TrimSpace(e.Question) == "" {
		return errors.New("question is empty")
	}
	if strings.TrimSpace(e.Answer) == "" {
		return errors.New("answer is empty")
	}
	for i, a := range e.Alternates {
		if strings.TrimSpace(a) == "" {
			return fmt.Errorf("alternate %d is empty", i+1)
		}
	}
	return nil
}

func validateSynonyms(groups [][]string) error {
	for i, g := range groups {
		if len(g) < 2 {
			return fmt.Errorf("%w: synonym group %d: needs at least two terms", ErrInvalid, i+1)
		}
		for _, term := range g {
			if strings.TrimSpace(term) == "" {
				return fmt.Errorf("%w: synonym group %d: a term is empty", ErrInvalid, i+1)
			}
		}
	}
	return nil
}
