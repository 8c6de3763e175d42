// Command kb is the maintainers' tool for the knowledge base and the
// intent router: ask one question, evaluate a set of questions, lint the
// knowledge base, list the questions the bot could not answer, or group
// them by wording into the gaps of the base.
//
//	kb ask [-config FILE] [-kb FILE] [-intents FILE] "问题"
//	kb eval [-config FILE] [-kb FILE] [-intents FILE] -cases FILE [-json]
//	kb lint [-config FILE] [-kb FILE]
//	kb unanswered [-config FILE] [-data DIR] [-since 7d] [-limit 200]
//	kb gaps [-config FILE] [-data DIR] [-since 30d] [-limit 50] [-min-similarity 0.5] [-examples 3] [-json]
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
