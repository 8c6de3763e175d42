package reportdb

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"hotline/dialog/kb"
	"hotline/reports"
	"hotline/store/convdb"
	"hotline/store/sqldb"
	"hotline/store/sqldb/sqldbtest"
)

// A year of a busy operator's figures: about a million visits and 150,000
// tickets, spread over the 365 days before benchEnd.
const (
	benchVisits     = 1_000_000
	benchTickets    = 150_000
	benchUnanswered = 120_000
	benchBatch      = 500
)

var benchEnd = time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)

var benchChannels = []string{"webchat", "wechat", "sms"}
var benchKinds = []string{"fault", "complaint", "inquiry", "service"}

// benchQuestions are what the year's unanswered questions say, some with
// words around them.
var benchQuestions = []string{"国际漫游怎么开通", "副卡可以办几张", "积分怎么兑换话费", "携号转网需要多久",
	"宽带能不能提速到一千兆", "营业厅周日开门吗", "话费发票怎么开", "5G套餐怎么降档", "亲情号怎么设置",
	"流量包可以转赠吗", "老人机能用5G吗", "光猫一直闪红灯", "电视没有信号怎么办", "家里WiFi很慢",
	"靓号怎么选", "停机保号多少钱", "实名认证失败", "短信收不到验证码", "国际长途怎么收费", "宽带到期了怎么续"}

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
		within(b, 100*time.Millisecond)
	})
	b.Run("refresh_eight_days", func(b *testing.B) {
		ds := reports.NewDays(s, time.UTC, clock)
		for b.Loop() {
			if err := ds.Refresh(ctx); err != nil {
				b.Fatal(err)
			}
		}
		within(b, time.Second)
	})
	b.Run("summary_30_days_kept", func(b *testing.B) {
		benchKeptSummary(b, reports.NewDays(s, time.UTC, clock), benchEnd.AddDate(0, 0, -29))
		within(b, 100*time.Millisecond)
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
		within(b, 15*time.Second)
	})
	b.Run("summary_365_days_kept", func(b *testing.B) {
		benchKeptSummary(b, reports.NewDays(s, time.UTC, clock), benchEnd.AddDate(0, 0, -364))
		within(b, 500*time.Millisecond)
	})
	b.Run("live_ticket_risks", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.TicketRisks(ctx); err != nil {
				b.Fatal(err)
			}
		}
		within(b, 50*time.Millisecond)
	})
	b.Run("live_open_conversations", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.OpenConversations(ctx, now.Add(-30*time.Minute)); err != nil {
				b.Fatal(err)
			}
		}
		within(b, 50*time.Millisecond)
	})
	b.Run("gaps_30_days", func(b *testing.B) {
		benchGaps(b, db)
		within(b, 2*time.Second)
	})
}

// within fails the benchmark when a run took longer than bound on
// average.
func within(b *testing.B, bound time.Duration) {
	b.Helper()
	if b.N == 0 {
		return
	}
	if per := b.Elapsed() / time.Duration(b.N); per > bound {
		b.Errorf("%v a run, over its bound of %v", per, bound)
	}
}

// benchGaps reads the last 30 days' unanswered questions, at most as many
// as the reports API groups, and groups them as the gaps report does.
func benchGaps(b *testing.B, db *sqldb.DB) {
	ctx := context.Background()
	st, err := convdb.New(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	from := benchEnd.AddDate(0, 0, -29)
	var groups int
	for b.Loop() {
		qs, err := st.UnansweredBetween(ctx, from, benchEnd.AddDate(0, 0, 1), reports.MaxGapQuestions)
		if err != nil {
			b.Fatal(err)
		}
		if len(qs) < benchUnanswered/13 {
			b.Fatalf("%d questions in 30 days, want about %d", len(qs), benchUnanswered*30/365)
		}
		groups = len(kb.Gaps(reports.GapQuestions(qs), kb.GapOptions{}))
	}
	b.ReportMetric(float64(groups), "groups")
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
	insertRows(b, db, "unanswered (conversation_id, message_id, text, best_entry, best_score, "+
		"suggested, at)", 7, benchUnanswered, func(i int) []any {
		q := benchQuestions[r.IntN(len(benchQuestions))]
		if r.IntN(3) == 0 {
			q = "请问" + q + "？"
		}
		return []any{fmt.Sprintf("c%07d", r.IntN(400_000)), fmt.Sprintf("m%07d", i), q, "",
			0.2, r.IntN(2), first.UnixMilli() + r.Int64N(span)}
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
