package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"hotline/configs"
	"hotline/dialog"
	"hotline/store/convdb"
)

// runUnanswered lists the questions the bot could not answer confidently,
// newest first, from the gateway's data directory, so the people who
// maintain the base see what to add.
func runUnanswered(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("unanswered", stderr)
	config := fs.String("config", defaultConfig, "gateway config `file` naming the data directory")
	data := fs.String("data", "", "data `directory` (default: data_dir of the config)")
	since := fs.String("since", "7d", "how far back to look, such as 24h or 30d")
	limit := fs.Int("limit", 200, "most questions to list")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	period, err := configs.ParseDuration(*since)
	if err != nil {
		return fail(stderr, fmt.Errorf("-since: %w", err))
	}
	dir, err := dataDir(*config, *data)
	if err != nil {
		return fail(stderr, err)
	}

	return listUnanswered(stdout, stderr, dir, time.Now().Add(-period.D()), *limit)
}

// dataDir is -data, or the data directory the gateway config names.
func dataDir(config, data string) (string, error) {
	if data != "" {
		return data, nil
	}
	c, err := configs.Load(config, os.Getenv)
	if err != nil {
		return "", err
	}
	return c.DataDir, nil
}

func listUnanswered(stdout, stderr io.Writer, dir string, since time.Time, limit int) int {
	qs, err := readUnanswered(dir, since, limit)
	if err != nil {
		return fail(stderr, err)
	}
	for _, q := range qs {
		kind := "unknown"
		if q.Suggested {
			kind = "suggested"
		}
		closest := q.BestEntry
		if closest == "" {
			closest = "-"
		}
		fmt.Fprintf(stdout, "%s  %-9s  %-28s %.2f  %s\n", q.At.Local().Format("2006-01-02 15:04"),
			kind, closest, q.BestScore, oneLine(q.Text))
	}
	fmt.Fprintf(stdout, "%d questions since %s\n", len(qs), since.Local().Format("2006-01-02 15:04"))
	return exitOK
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// readUnanswered returns up to limit unanswered questions asked at or
// after since, newest first, from the embedded gateway database in dir.
func readUnanswered(dir string, since time.Time, limit int) ([]dialog.Unanswered, error) {
	path := dir + "/" + convdb.FileName
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no gateway database at %s", path)
	}
	ctx := context.Background()
	store, err := convdb.Open(ctx, dir, convdb.Options{Synchronous: "normal"})
	if err != nil {
		return nil, err
	}
	qs, err := store.UnansweredSince(ctx, since, limit)
	return qs, errors.Join(err, store.Close())
}
