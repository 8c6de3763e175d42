package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"hotline/dialog/intent"
	"hotline/dialog/kb"
)

// evalCase is one question with the label the bot should give it.
type evalCase struct {
	Text   string `yaml:"text"`
	Expect string `yaml:"expect"`
}

// miss is a case the bot got wrong.
type miss struct {
	Text   string `json:"text"`
	Expect string `json:"expect"`
	Got    string `json:"got"`
}

// report is the outcome of an evaluation.
type report struct {
	Total           int     `json:"total"`
	Correct         int     `json:"correct"`
	Accuracy        float64 `json:"accuracy"`
	WrongAnswers    int     `json:"wrong_answers"`
	WrongAnswerRate float64 `json:"wrong_answer_rate"`
	Misses          []miss  `json:"misses"`
}

// runEval runs every case through intent.Decide and reports accuracy.
func runEval(args []string, stdout, stderr io.Writer) int {
	var f files
	var casesPath string
	var asJSON bool
	fs := newFlagSet("eval", stderr)
	f.flags(fs, true)
	fs.StringVar(&casesPath, "cases", "", "cases `file` (cases: [{text, expect}])")
	fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if casesPath == "" {
		return fail(stderr, errors.New("eval needs -cases FILE"))
	}
	b, r, err := f.load(true)
	if err != nil {
		return fail(stderr, err)
	}
	cases, err := loadCases(casesPath, b)
	if err != nil {
		return fail(stderr, err)
	}

	rep := evaluate(r, b, cases)
	if asJSON {
		return printJSON(stdout, stderr, rep)
	}
	printText(stdout, rep)
	return exitOK
}

// loadCases reads the cases file and checks every expected label.
func loadCases(path string, b *kb.Base) ([]evalCase, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load cases: %w", err)
	}
	var f struct {
		Cases []evalCase `yaml:"cases"`
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("cases %s: %w", path, err)
	}
	if len(f.Cases) == 0 {
		return nil, fmt.Errorf("cases %s: no cases", path)
	}
	for i, c := range f.Cases {
		if strings.TrimSpace(c.Text) == "" {
			return nil, fmt.Errorf("cases %s: case %d: text is empty", path, i+1)
		}
		if !validLabel(c.Expect, b) {
			return nil, fmt.Errorf("cases %s: case %d: expect %q is neither an entry id nor "+
				"none, fault, complaint, agent or status", path, i+1, c.Expect)
		}
	}
	return f.Cases, nil
}

func validLabel(label string, b *kb.Base) bool {
	switch label {
	case "none", string(intent.Fault), string(intent.Complaint),
		string(intent.Agent), string(intent.Status):
		return true
	}
	_, ok := b.Entry(label)
	return ok
}

// evaluate labels every case the way the bot treats a first message.
func evaluate(r *intent.Router, b *kb.Base, cases []evalCase) report {
	rep := report{Total: len(cases), Misses: []miss{}}
	for _, c := range cases {
		got := intent.Decide(r, b, c.Text).Label()
		if got == c.Expect {
			rep.Correct++
			continue
		}
		if got != "none" {
			rep.WrongAnswers++
		}
		rep.Misses = append(rep.Misses, miss{Text: c.Text, Expect: c.Expect, Got: got})
	}
	rep.Accuracy = float64(rep.Correct) / float64(rep.Total)
	rep.WrongAnswerRate = float64(rep.WrongAnswers) / float64(rep.Total)
	return rep
}

func printText(w io.Writer, rep report) {
	fmt.Fprintf(w, "accuracy: %.1f%% (%d/%d)\n", 100*rep.Accuracy, rep.Correct, rep.Total)
	fmt.Fprintf(w, "wrong answers: %.1f%% (%d/%d)\n",
		100*rep.WrongAnswerRate, rep.WrongAnswers, rep.Total)
	if len(rep.Misses) == 0 {
		return
	}
	fmt.Fprintln(w, "misses:")
	for _, m := range rep.Misses {
		fmt.Fprintf(w, "  %s\n    expected %s, got %s\n", m.Text, m.Expect, m.Got)
	}
}

func printJSON(stdout, stderr io.Writer, rep report) int {
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		fmt.Fprintf(stderr, "kb: write report: %v\n", err)
		return exitUsage
	}
	return exitOK
}
