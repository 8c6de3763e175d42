package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"hotline/configs"
	"hotline/dialog"
	"hotline/dialog/kb"
	"hotline/reports"
)

// maxGapQuestions is the most unanswered questions kb gaps groups, as many
// as the reports API groups in one request.
const maxGapQuestions = reports.MaxGapQuestions

// gapsFlags are the settings of kb gaps.
type gapsFlags struct {
	config, data, since, until string
	limit, examples            int
	minSimilarity              float64
	json                       bool
}

// runGaps groups the questions the bot could not answer by wording,
// largest group first, so the people who maintain the base see which
// entries to add first.
func runGaps(args []string, stdout, stderr io.Writer) int {
	var f gapsFlags
	fs := newFlagSet("gaps", stderr)
	fs.StringVar(&f.config, "config", defaultConfig, "gateway config `file` naming the database (database.url or data_dir)")
	fs.StringVar(&f.data, "data", "", "data `directory` of an embedded gateway (default: the config's database)")
	fs.StringVar(&f.since, "since", "30d", "how far back to look, such as 30d, or a date such as 2026-01-31")
	fs.StringVar(&f.until, "until", "", "last `date` of the period, such as 2026-02-28 (default: now)")
	fs.IntVar(&f.limit, "limit", 50, "most groups to print")
	fs.Float64Var(&f.minSimilarity, "min-similarity", kb.DefaultGapSimilarity,
		"least similarity, above 0 and at most 1, for a question to join a group")
	fs.IntVar(&f.examples, "examples", kb.DefaultGapExamples, "most other wordings to print per group")
	fs.BoolVar(&f.json, "json", false, "print JSON instead of a table")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	since, end, err := f.check(fs.Args(), time.Now())
	if err != nil {
		return fail(stderr, err)
	}
	db, err := database(f.config, f.data)
	if err != nil {
		return fail(stderr, err)
	}
	qs, err := readUnanswered(db, since, end, maxGapQuestions)
	if err != nil {
		return fail(stderr, err)
	}
	if len(qs) == maxGapQuestions {
		fmt.Fprintf(stderr, "only the newest %d questions of the period are grouped; "+
			"use a later -since or an earlier -until to see the rest\n", maxGapQuestions)
	}
	return printGaps(stdout, stderr, f, since, qs)
}

// check validates the flags and returns the period: its start, and the
// end (the day after -until, or just after now).
func (f gapsFlags) check(rest []string, now time.Time) (time.Time, time.Time, error) {
	var zero time.Time
	switch {
	case len(rest) > 0:
		return zero, zero, fmt.Errorf("gaps takes no arguments, got %q", rest)
	case f.limit < 1:
		return zero, zero, fmt.Errorf("-limit must be at least 1, got %d", f.limit)
	case f.examples < 0:
		return zero, zero, fmt.Errorf("-examples must not be negative, got %d", f.examples)
	case !(f.minSimilarity > 0 && f.minSimilarity <= 1):
		return zero, zero, fmt.Errorf("-min-similarity must be above 0 and at most 1, got %g", f.minSimilarity)
	}
	since, err := parseSince(f.since, now)
	if err != nil {
		return zero, zero, err
	}
	end := now.Add(time.Minute)
	if f.until != "" {
		day, err := time.ParseInLocation(time.DateOnly, f.until, time.Local)
		if err != nil {
			return zero, zero, fmt.Errorf("-until: want a date such as 2026-02-28, got %q", f.until)
		}
		end = day.AddDate(0, 0, 1)
	}
	if !end.After(since) {
		return zero, zero, fmt.Errorf("-until %s is before -since", f.until)
	}
	return since, end, nil
}

// parseSince reads -since: a period back from now (30d, 12h) or a local
// date, whose start it returns.
func parseSince(s string, now time.Time) (time.Time, error) {
	if day, err := time.ParseInLocation(time.DateOnly, s, time.Local); err == nil {
		return day, nil
	}
	d, err := configs.ParseDuration(s)
	if err != nil || d < 0 {
		return time.Time{}, fmt.Errorf("-since: want a period such as 30d or a date such as 2026-01-31, got %q", s)
	}
	return now.Add(-d.D()), nil
}

// groupGaps groups the questions with the flags' settings.
func groupGaps(f gapsFlags, qs []dialog.Unanswered) []kb.Gap {
	in := reports.GapQuestions(qs)
	examples := f.examples
	if examples == 0 {
		examples = -1 // none; zero would mean the default to kb.Gaps
	}
	return kb.Gaps(in, kb.GapOptions{MinSimilarity: f.minSimilarity, Examples: examples})
}

// printGaps prints up to f.limit groups of the questions.
func printGaps(stdout, stderr io.Writer, f gapsFlags, since time.Time, qs []dialog.Unanswered) int {
	gaps := groupGaps(f, qs)
	shown := gaps[:min(len(gaps), f.limit)]
	if f.json {
		return printGapsJSON(stdout, stderr, since, len(qs), len(gaps), shown)
	}
	printGapsTable(stdout, shown)
	fmt.Fprintf(stdout, "%d of %d groups, %d questions since %s\n", len(shown), len(gaps), len(qs),
		since.Local().Format("2006-01-02 15:04"))
	return exitOK
}

// printGapsTable prints one line per group and one per example under it.
// The representative comes last, as Chinese text would break the columns.
func printGapsTable(w io.Writer, gaps []kb.Gap) {
	fmt.Fprintf(w, "%5s  %5s  %-28s  %s\n", "SIZE", "CONV", "BEST ENTRY", "QUESTION")
	for _, g := range gaps {
		entry := g.BestEntry
		if entry == "" {
			entry = "-"
		}
		fmt.Fprintf(w, "%5d  %5d  %-28s  %s\n", g.Size, g.Conversations, entry, g.Representative)
		for _, e := range g.Examples {
			fmt.Fprintf(w, "%5s  %5s  %-28s    %s\n", "", "", "", e)
		}
	}
}

// printGapsJSON prints the groups with the period and the totals.
func printGapsJSON(stdout, stderr io.Writer, since time.Time, questions, total int, gaps []kb.Gap) int {
	rows := make([]reports.GapRow, len(gaps))
	for i, g := range gaps {
		rows[i] = reports.NewGapRow(g)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	out := map[string]any{"since": since, "questions": questions, "total_gaps": total, "gaps": rows}
	if err := enc.Encode(out); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}
