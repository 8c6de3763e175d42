package main

import (
	"fmt"
	"io"

	"hotline/dialog/kb"
)

// runLint prints the knowledge base's problems; the exit code is 1 when
// there are any.
func runLint(args []string, stdout, stderr io.Writer) int {
	var f files
	fs := newFlagSet("lint", stderr)
	f.flags(fs, false)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	b, _, err := f.load(false)
	if err != nil {
		return fail(stderr, err)
	}

	problems := kb.Lint(b)
	for _, p := range problems {
		fmt.Fprintf(stdout, "%s: %s\n", p.EntryID, p.Message)
	}
	if len(problems) > 0 {
		fmt.Fprintf(stdout, "%d problems in %d entries\n", len(problems), b.Len())
		return exitProblems
	}
	fmt.Fprintf(stdout, "no problems in %d entries\n", b.Len())
	return exitOK
}
