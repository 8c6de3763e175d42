package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"hotline/dialog/intent"
)

// runAsk prints what the bot makes of one question.
func runAsk(args []string, stdout, stderr io.Writer) int {
	var f files
	fs := newFlagSet("ask", stderr)
	f.flags(fs, true)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	question := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if question == "" {
		return fail(stderr, errors.New("ask needs a question"))
	}
	b, r, err := f.load(true)
	if err != nil {
		return fail(stderr, err)
	}

	d := intent.Decide(r, b, question)
	if d.Intent != intent.None {
		fmt.Fprintf(stdout, "intent: %s\n", d.Intent)
	}
	m := b.Match(question)
	fmt.Fprintf(stdout, "verdict: %s\n", m.Verdict)
	for i, c := range m.Candidates {
		fmt.Fprintf(stdout, "%d. %.3f %s  %s  (coverage %.2f)\n", i+1, c.Score, c.Entry.ID, c.Entry.Question, c.Coverage)
	}
	fmt.Fprintf(stdout, "label: %s\n", d.Label())
	return exitOK
}
