package form

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"
)

// fileSpec is the YAML layout of the flows file.
type fileSpec struct {
	Formats    map[string]formatSpec `yaml:"formats"`
	Skip       wordsSpec             `yaml:"skip"`
	Same       wordsSpec             `yaml:"same"`
	Correction wordsSpec             `yaml:"correction"`
	Menu       Text                  `yaml:"menu"`
	Slots      map[string]yaml.Node  `yaml:"slots"`
	Flows      []flowSpec            `yaml:"flows"`
}

type formatSpec struct {
	Pattern     string   `yaml:"pattern"`
	DropPrefix  []string `yaml:"drop_prefix"`
	Description Text     `yaml:"description"`
}

// wordsSpec is a quick reply label with the words that mean it when typed.
type wordsSpec struct {
	Label Text     `yaml:"label"`
	Words []string `yaml:"words"`
}

type flowSpec struct {
	Name        string      `yaml:"name"`
	Kind        string      `yaml:"kind"`
	Service     string      `yaml:"service"`
	Title       Text        `yaml:"title"`
	Keywords    []string    `yaml:"keywords"`
	MaxFailures *int        `yaml:"max_failures"`
	Slots       []yaml.Node `yaml:"slots"`
}

// slotSpec is one slot. A slot in a flow may name a shared slot with use
// and override any of its fields.
type slotSpec struct {
	Use       string       `yaml:"use"`
	Name      string       `yaml:"name"`
	Role      string       `yaml:"role"`
	Type      string       `yaml:"type"`
	Label     Text         `yaml:"label"`
	Prompt    Text         `yaml:"prompt"`
	Reprompt  Text         `yaml:"reprompt"`
	Formats   []string     `yaml:"formats"`
	Choices   []optionSpec `yaml:"choices"`
	FreeText  bool         `yaml:"free_text"`
	MinLength int          `yaml:"min_length"`
	MaxLength int          `yaml:"max_length"`
	Optional  bool         `yaml:"optional"`
	Words     []string     `yaml:"words"`
	Sensitive bool         `yaml:"sensitive"`
	Extract   bool         `yaml:"extract"`
	Default   *defaultSpec `yaml:"default"`
}

type optionSpec struct {
	Value   string   `yaml:"value"`
	Label   Text     `yaml:"label"`
	Aliases []string `yaml:"aliases"`
}

// defaultSpec fills a slot from another slot's answer (the contact number
// from the service number) when that answer fits one of formats. With ask,
// the value is offered as a quick reply instead of filled silently.
type defaultSpec struct {
	From    string   `yaml:"from"`
	Formats []string `yaml:"formats"`
	Ask     bool     `yaml:"ask"`
}

// Load reads and checks a flows file. The error names the file and every
// problem found, each with its flow and slot.
func Load(path string) (*Flows, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read flows: %w", err)
	}
	fs, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("flows %s: %w", path, err)
	}
	return fs, nil
}

// Parse reads and checks the contents of a flows file. It returns an error
// for YAML it cannot read, unknown fields, and every problem in the flows:
// an unknown format or role, a bad pattern, a duplicate flow, slot or
// choice, a missing Chinese text, a text left empty, a max_failures below 1.
func Parse(data []byte) (*Flows, error) {
	var spec fileSpec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&spec); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("parse: the file is empty")
		}
		return nil, fmt.Errorf("parse: %w", err)
	}
	return build(spec)
}
