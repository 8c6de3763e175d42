package sqldb_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hotline/store/sqldb"
	"hotline/tickets"
)

// benchParallelism times GOMAXPROCS is how many goroutines write at once
// (32 on two cores), like many conversations reaching the store together.
const benchParallelism = 16

// benchRounds is how many times each dialect's sub-benchmarks run, in
// turn, so the baseline and ticket creation see the same state of the
// machine and of the database server (whose checkpoints and vacuums from
// earlier rounds otherwise weigh on whatever runs last).
const benchRounds = 3

// BenchmarkWrite compares, on each dialect in one run, ticket creation
// through the tickets service (ticket_open) with the storage's raw insert
// rate of the same record (raw_ticket_row: one plain INSERT of a ticket's
// row into the tickets table, with its indexes, per transaction, as an
// application without group commit would write it). grouped_small_row is
// the ceiling of the store's own write path: one tiny row per DB.Write.
// SQLite runs with synchronous FULL, PostgreSQL with synchronous_commit on.
// Run it with -count 1: the rounds repeat it.
func BenchmarkWrite(b *testing.B) {
	dialects := []struct {
		name string
		open func(b *testing.B) *sqldb.DB
	}{
		{"sqlite", func(b *testing.B) *sqldb.DB { return openSQLite(b, b.TempDir()) }},
		{"postgres", func(b *testing.B) *sqldb.DB { return openDB(b, postgresSchema(b)) }},
	}
	for _, d := range dialects {
		for round := 1; round <= benchRounds; round++ {
			name := fmt.Sprintf("%s/round%d/", d.name, round)
			b.Run(name+"raw_ticket_row", func(b *testing.B) { benchRawTicketRow(b, d.open(b)) })
			b.Run(name+"ticket_open", func(b *testing.B) { benchTicketOpen(b, d.open(b)) })
			b.Run(name+"grouped_small_row", func(b *testing.B) { benchRawInsert(b, d.open(b)) })
		}
	}
}

// ticketColumns are the columns of a ticket's row.
const ticketColumns = `id, kind, category, status, priority, owner_channel, owner_address,
	owner_subscriber_id, conversation_id, source, source_key, phone, details, summary, area,
	service, outage_id, assignee, resolution, rating, risk, respond_by, resolve_by,
	responded_at, resolved_at, watch_at, created_at, updated_at, version`

// benchRawTicketRow inserts the row of a ticket like benchDraft's, one
// plain autocommitted INSERT each, on the writer pool.
func benchRawTicketRow(b *testing.B, db *sqldb.DB) {
	ctx := context.Background()
	insert := db.Rebind("INSERT INTO tickets (" + ticketColumns + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", 29), ", ") + ")")
	st, err := db.Writer().PrepareContext(ctx, insert)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	d := benchDraft(0)
	details, _ := json.Marshal(d.Details)
	now := time.Now().UnixNano()

	var next atomic.Int64
	runParallel(b, "rows/s", func() error {
		n := next.Add(1)
		_, err := st.ExecContext(ctx, fmt.Sprintf("RAW%08d-%06d", n/1_000_000, n%1_000_000),
			d.Kind, d.Category, "new", 2, d.Owner.Channel, fmt.Sprint("visitor-", n), "",
			fmt.Sprint("conv-", n), d.Source, fmt.Sprint("conv-", n, "/form-1"), d.Phone,
			string(details), d.Summary, d.Area, d.Service, "", "", "", 0, "",
			now+24*int64(time.Hour), now+72*int64(time.Hour), nil, nil,
			now+19*int64(time.Hour), now, now, 1)
		return err
	})
}

func benchRawInsert(b *testing.B, db *sqldb.DB) {
	ctx := context.Background()
	if _, err := db.Writer().Exec(
		"CREATE TABLE bench_rows (id TEXT PRIMARY KEY, v BIGINT NOT NULL)"); err != nil {
		b.Fatal(err)
	}
	const insert = "INSERT INTO bench_rows (id, v) VALUES (?, ?)"
	st, err := db.Prepare(ctx, insert)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()

	var next atomic.Int64
	runParallel(b, "rows/s", func() error {
		n := next.Add(1)
		return db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
			_, err := st.Exec(ctx, tx, insert, fmt.Sprint("row-", n), n)
			return err
		})
	})
}

func benchTicketOpen(b *testing.B, db *sqldb.DB) {
	ctx := context.Background()
	svc := tickets.NewService(tickets.Config{Store: sqldb.NewTickets(db), Policy: tickets.DefaultPolicy()})
	var next atomic.Int64
	runParallel(b, "tickets/s", func() error {
		n := next.Add(1)
		_, _, err := svc.Open(ctx, benchDraft(n))
		return err
	})
}

// benchDraft is a fault report as the broadband form collects it.
func benchDraft(n int64) tickets.Draft {
	return tickets.Draft{
		Kind: tickets.KindFault, Category: "broadband_down",
		Owner:          tickets.Owner{Channel: "webchat", Address: fmt.Sprint("visitor-", n)},
		ConversationID: fmt.Sprint("conv-", n), Source: "webchat",
		SourceKey: fmt.Sprint("conv-", n, "/form-1"), Phone: "13800138000",
		Details: map[string]string{
			"service": "broadband", "account": "0571-88886666", "since": "今天早上八点",
			"symptom": "光猫LOS灯红色闪烁，无法上网", "restarted": "是", "contact_time": "工作日晚上",
		},
		Summary: "宽带无法上网，光猫LOS红灯", Service: "broadband", Area: "西湖区", Actor: "bot",
	}
}

// runParallel runs op from benchParallelism goroutines per core and
// reports the rate under unit.
func runParallel(b *testing.B, unit string, op func() error) {
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := op(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}
