package main

import (
	"fmt"
	"io"
)

// Exit codes.
const (
	exitOK       = 0
	exitProblems = 1 // lint found problems
	exitUsage    = 2 // bad arguments or a file that does not load
)

const usage = `usage:
  kb ask [-config FILE] [-kb FILE] [-intents FILE] "question"
  kb eval [-config FILE] [-kb FILE] [-intents FILE] -cases FILE [-json]
  kb lint [-config FILE] [-kb FILE]
  kb unanswered [-config FILE] [-data DIR] [-since 7d] [-limit 200]
  kb gaps [-config FILE] [-data DIR] [-since 30d|YYYY-MM-DD] [-limit 50]
          [-min-similarity 0.5] [-examples 3] [-json]
`

// run executes the command line args (without the program name) and
// returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "ask":
		return runAsk(args[1:], stdout, stderr)
	case "eval":
		return runEval(args[1:], stdout, stderr)
	case "lint":
		return runLint(args[1:], stdout, stderr)
	case "unanswered":
		return runUnanswered(args[1:], stdout, stderr)
	case "gaps":
		return runGaps(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "kb: unknown command %q\n%s", args[0], usage)
	return exitUsage
}
