package reportdb

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"hotline/reports"
	"hotline/store/sqldb"
	"hotline/store/sqldb/sqldbtest"
)

// A year of a busy operator's figures: about a million visits and 150,000
// tickets, spread over the 365 days before benchEnd.
const (
	benchVisits  = 1_000_000
	benchTickets = 150_000
	benchBatch   = 500
)

var benchEnd = time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)

var benchChannels = []string{"webchat", "wechat", "sms"}
var benchKinds = []string{"fault", "complaint", "inquiry", "service"}

// BenchmarkDashboard times the queries behind the dashboard on a year of
// data, on SQLite and (when it runs) PostgreSQL.
func BenchmarkDashboard(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		db, err := sqldb.Open(context.Background(), sqldb.Options{DataDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = db.Close() })
		benchQueries(b, db)
	})
	b.Run("postgres", func(b *testing.B) {
		db, err := sqldb.Open(context.Background(), sqldb.Options{DSN: sqldbtest.Schema(b)})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = db.Close() })
		benchQueries(b, db)
	})
}

func benchQueries(b *testing.B, db *sqldb.DB) {
	start := time.Now()
	fillYear(b, db)
	// A live PostgreSQL keeps its statistics by autovacuum; after a bulk
	// load they are gathered once here. The gateway never runs ANALYZE on
	// SQLite, so neither does the benchmark.
	if db.Dialect() == sqldb.Postgres {
		if _, err := db.Writer().ExecContext(context.Background(), "ANALYZE"); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("a year of data written in %v", time.Since(start).Round(time.Second))
	s := New(db)
	ctx := context.Background()
	now := benchEnd.Add(15 * time.Hour)
	clock := func() time.Time { return now }

	b.Run("compute_one_day", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			day := benchEnd.AddDate(0, 0, -1-i%300)
			if _, err := s.Compute(ctx, day, day.AddDate(0, 0, 1)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("refresh_eight_days", func(b *testing.B) {
		ds := reports.NewDays(s, time.UTC, clock)
		for b.Loop() {
			if err := ds.Refresh(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("summary_30_days_kept", func(b *testing.B) {
		benchKeptSummary(b, reports.NewDays(s, time.UTC, clock), benchEnd.AddDate(0, 0, -29))
	})
	b.Run("summary_365_days_cold", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			if _, err := db.Writer().ExecContext(ctx, "DELETE FROM report_days"); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			ds := reports.NewDays(s, time.UTC, clock)
			days, err := ds.Range(ctx, benchEnd.AddDate(0, 0, -364), benchEnd)
			if err != nil {
				b.Fatal(err)
			}
			_ = reports.Summarize(days, time.UTC, nil)
		}
	})
	b.Run("summary_365_days_kept", func(b *testing.B) {
		benchKeptSummary(b, reports.NewDays(s, time.UTC, clock), benchEnd.AddDate(0, 0, -364))
	})
	b.Run("live_ticket_risks", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.TicketRisks(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("live_open_conversations", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.OpenConversations(ctx, now.Add(-30*time.Minute)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// benchKeptSummary times the summary from from to benchEnd once every
// past day of it is kept (the first Range keeps them).
func benchKeptSummary(b *testing.B, ds *reports.Days, from time.Time) {
	ctx := context.Background()
	if _, err := ds.Range(ctx, from, benchEnd); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		days, err := ds.Range(ctx, from, benchEnd)
		if err != nil {
			b.Fatal(err)
		}
		_ = reports.Summarize(days, time.UTC, nil)
	}
}

// fillYear writes the year's visits, tickets and open conversations in
// batches.
func fillYear(b *testing.B, db *sqldb.DB) {
	r := rand.New(rand.NewPCG(1, 2))
	span := int64(365 * 24 * time.Hour / time.Millisecond)
	first := benchEnd.AddDate(0, 0, -365)

	insertRows(b, db, "visits (id, conversation_id, channel, started_at, answered, unanswered, "+
		"tickets, handoff_at, first_reply_at, rating, rated_agent)", 11, benchVisits,
		func(i int) []any {
			start := first.UnixMilli() + r.Int64N(span)
			var handoff, reply, rating int64
			agent := ""
			if r.IntN(4) == 0 {
				handoff = start + r.Int64N(120_000)
				reply = handoff + r.Int64N(300_000)
				rating = 1 + r.Int64N(5)
				agent = fmt.Sprintf("agent-%02d", r.IntN(40))
			}
			return []any{fmt.Sprintf("v%07d", i), fmt.Sprintf("c%07d", i%400_000),
				benchChannels[r.IntN(3)], start, r.IntN(4), r.IntN(2), r.IntN(8) / 7, handoff, reply,
				rating, agent}
		})
	insertRows(b, db, "tickets (id, kind, status, priority, source, risk, rating, respond_by, "+
		"resolve_by, responded_at, resolved_at, created_at, updated_at, version)", 14, benchTickets,
		func(i int) []any {
			created := (first.UnixMilli() + r.Int64N(span)) * int64(time.Millisecond)
			hour := int64(time.Hour)
			status, risk := "resolved", ""
			var responded, resolved any = created + r.Int64N(2*hour), created + r.Int64N(72*hour)
			if i%50 == 0 { // about 2% still open
				status, responded, resolved = "open", nil, nil
				risk = []string{"", "at_risk", "breached"}[r.IntN(3)]
			}
			return []any{fmt.Sprintf("t%07d", i), benchKinds[r.IntN(4)], status, 0,
				benchChannels[r.IntN(3)], risk, r.IntN(6), created + hour, created + 48*hour,
				responded, resolved, created, created, 1}
		})
	insertRows(b, db, "conversations (id, channel, address, state, lang, last_seq, version, "+
		"created_at, active_at)", 9, 400_000, func(i int) []any {
		active := first.UnixMilli() + r.Int64N(span)
		state := "closed"
		if i%100 == 0 {
			state = "answering"
		}
		return []any{fmt.Sprintf("c%07d", i), benchChannels[i%3], fmt.Sprintf("a%07d", i), state,
			"zh", 1, 1, active, active}
	})
}

// insertRows writes n rows made by row into table, benchBatch at a time.
func insertRows(b *testing.B, db *sqldb.DB, table string, cols, n int, row func(int) []any) {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	for done := 0; done < n; done += benchBatch {
		size := min(benchBatch, n-done)
		args := make([]any, 0, size*cols)
		for i := done; i < done+size; i++ {
			args = append(args, row(i)...)
		}
		q := "INSERT INTO " + table + " VALUES " + strings.TrimSuffix(strings.Repeat(one+", ", size), ", ")
		err := db.Write(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, db.Rebind(q), args...)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
