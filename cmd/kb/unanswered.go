package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hotline/configs"
	"hotline/dialog"
	"hotline/store/convdb"
	"hotline/store/sqldb"
)

// runUnanswered lists the questions the bot could not answer confidently,
// newest first, from the gateway's database, so the people who maintain
// the base see what to add.
func runUnanswered(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("unanswered", stderr)
	config := fs.String("config", defaultConfig, "gateway config `file` naming the database (database.url or data_dir)")
	data := fs.String("data", "", "data `directory` of an embedded gateway (default: the config's database)")
	since := fs.String("since", "7d", "how far back to look, such as 24h or 30d")
	limit := fs.Int("limit", 200, "most questions to list")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	period, err := configs.ParseDuration(*since)
	if err != nil {
		return fail(stderr, fmt.Errorf("-since: %w", err))
	}
	db, err := database(*config, *data)
	if err != nil {
		return fail(stderr, err)
	}

	return listUnanswered(stdout, stderr, db, time.Now().Add(-period.D()), *limit)
}

// database is the embedded database in -data, or else the one the
// gateway config names: database.url (HOTLINE_DATABASE_URL) when set,
// the SQLite file in data_dir otherwise.
func database(config, data string) (sqldb.Options, error) {
	if data != "" {
		return sqldb.Options{DataDir: data}, nil
	}
	c, err := configs.Load(config, os.Getenv)
	if err != nil {
		return sqldb.Options{}, err
	}
	return sqldb.Options{DSN: c.Database.URL.Reveal(), DataDir: c.DataDir}, nil
}

func listUnanswered(stdout, stderr io.Writer, db sqldb.Options, since time.Time, limit int) int {
	qs, err := readUnanswered(db, since, time.Now().Add(time.Minute), limit)
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
// after from and before to, newest first, from the gateway's database.
func readUnanswered(o sqldb.Options, from, to time.Time, limit int) ([]dialog.Unanswered, error) {
	if o.DSN == "" {
		// Opening would make an empty database; say there is none.
		path := filepath.Join(o.DataDir, convdb.FileName)
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no gateway database at %s", path)
		}
		o.Synchronous = "normal"
	}
	ctx := context.Background()
	db, err := sqldb.Open(ctx, o)
	if err != nil {
		return nil, err
	}
	store, err := convdb.New(ctx, db)
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	qs, err := store.UnansweredBetween(ctx, from, to, limit)
	return qs, errors.Join(err, store.Close(), db.Close())
}
