package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"hotline/configs"
	"hotline/dialog/intent"
	"hotline/dialog/kb"
)

// defaultConfig is the gateway config read for the default file paths.
const defaultConfig = "configs/gateway.yaml"

// files are the paths a command works on.
type files struct {
	config, kb, intents string
}

// flags registers -config, -kb and, when withIntents, -intents on fs.
func (f *files) flags(fs *flag.FlagSet, withIntents bool) {
	fs.StringVar(&f.config, "config", defaultConfig, "gateway config `file` naming the data files")
	fs.StringVar(&f.kb, "kb", "", "knowledge base `file` (default: kb.path of the config)")
	if withIntents {
		fs.StringVar(&f.intents, "intents", "",
			"intent phrase `file` (default: dialog.intents_path of the config)")
	}
}

// resolve fills the paths not given as flags from the gateway config.
func (f *files) resolve(needIntents bool) error {
	if f.kb != "" && (f.intents != "" || !needIntents) {
		return nil
	}
	c, err := configs.Load(f.config, os.Getenv)
	if err != nil {
		return err
	}
	if f.kb == "" {
		f.kb = c.Resolve(c.KB.Path)
	}
	if needIntents && f.intents == "" {
		f.intents = c.Resolve(c.Dialog.IntentsPath)
	}
	return nil
}

// load reads the knowledge base and, when needIntents, the router.
func (f *files) load(needIntents bool) (*kb.Base, *intent.Router, error) {
	if err := f.resolve(needIntents); err != nil {
		return nil, nil, err
	}
	b, err := kb.Load(f.kb)
	if err != nil {
		return nil, nil, err
	}
	if !needIntents {
		return b, nil, nil
	}
	r, err := intent.LoadRouter(f.intents)
	if err != nil {
		return nil, nil, err
	}
	return b, r, nil
}

// newFlagSet returns a flag set that reports errors to stderr instead of
// exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("kb "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// fail prints a load or usage error and returns exitUsage.
func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "kb: %v\n", err)
	return exitUsage
}
