// Command kb is the maintainers' tool for the knowledge base and the
// intent router: ask one question, evaluate a set of questions, or lint the
// knowledge base.
//
//	kb ask [-config FILE] [-kb FILE] [-intents FILE] "问题"
//	kb eval [-config FILE] [-kb FILE] [-intents FILE] -cases FILE [-json]
//	kb lint [-config FILE] [-kb FILE]
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
