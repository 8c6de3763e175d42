// Command loadgen loads a hotline gateway on this machine with simulated
// subscribers on web chat, WeChat and SMS, and simulated agents, then
// checks every conversation: each message answered exactly once, in
// order, every fault report's ticket present once, nothing stuck. It
// runs fake WeChat and Twilio APIs for the replies the gateway sends
// later, and with -spawn builds and starts the gateway itself.
//
//	go run ./cmd/loadgen -spawn -duration 30s -rate 20
//	go run ./cmd/loadgen -target http://127.0.0.1:8080 -wechat-token … -twilio-sid … -api-token …
//
// It exits 1 when the check fails, 2 on bad flags or a failed start.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(mainRun(os.Args[1:], os.Stdout, os.Stderr))
}

// mainRun runs loadgen and returns the exit code.
func mainRun(args []string, stdout, stderr io.Writer) int {
	o, err := parseOptions(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	progress := stdout
	if o.jsonOut == "-" {
		progress = stderr
	}
	rep, err := execute(ctx, o, progress)
	if err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 2
	}
	if err := writeReport(rep, o.jsonOut, stdout); err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 2
	}
	if !rep.Passed {
		return 1
	}
	return 0
}

// writeReport prints the text report, and the JSON one where asked.
func writeReport(rep *report, jsonOut string, stdout io.Writer) error {
	if jsonOut != "-" {
		rep.writeText(stdout)
	}
	if jsonOut == "" {
		return nil
	}
	w := stdout
	if jsonOut != "-" {
		f, err := os.Create(jsonOut)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
