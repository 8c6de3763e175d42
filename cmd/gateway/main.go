// Command gateway runs Hotline: the web chat and WeChat channels, the
// conversation engine, the agent desk and console, the tickets with their
// REST API and CRM forwarding, and the embedded store, in one process.
//
// Usage:
//
//	gateway [-config configs/gateway.yaml] [-addr :8080] [-data ./data]
//	gateway -wechat-menu    # set the WeChat account's menu from the settings, then exit
//	gateway -forget phone:+8613812345678 [-actor NAME]
//	                        # delete or anonymise one subscriber's records, then exit
//
// SIGINT or SIGTERM shut it down gracefully; SIGHUP reloads the knowledge
// base, the intent phrases and the forms.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	reload := make(chan os.Signal, 1)
	signal.Notify(reload, syscall.SIGHUP)

	err := Run(ctx, Options{
		Args:   os.Args[1:],
		Getenv: os.Getenv,
		Stderr: os.Stderr,
		Stdout: os.Stdout,
		Reload: reload,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(1)
	}
}
