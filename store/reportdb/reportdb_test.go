package reportdb

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"hotline/reports"
	"hotline/store/sqldb"
	"hotline/store/sqldb/sqldbtest"
)

// day is the day the fixed data set is about, in UTC.
var day = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return day.Add(d) }

// eachDB runs fn on a fresh SQLite file and on a fresh PostgreSQL schema.
func eachDB(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		db, err := sqldb.Open(context.Background(), sqldb.Options{DataDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		fn(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		db, err := sqldb.Open(context.Background(), sqldb.Options{DSN: sqldbtest.Schema(t)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		fn(t, db)
	})
}

// visit is one row of the visits table.
type visit struct {
	id, channel                   string
	start                         time.Time
	answered, unanswered, tickets int
	handoff, reply                time.Duration // after start; 0 for none
	rating                        int
	agent                         string
}

// ticket is one row of the tickets table, with the columns the reports read.
type ticket struct {
	id, kind, source, status, risk string
	created                        time.Time
	respondBy, resolveBy           time.Duration // after created; 0 for none
	responded, resolved            time.Duration // after created; 0 for not yet
	rating                         int
}

// visits and ticketRows are the data set whose figures the tests below
// work out by hand.
var visits = []visit{
	{id: "v1", channel: "webchat", start: at(1 * time.Hour), answered: 2},
	{id: "v2", channel: "webchat", start: at(2 * time.Hour), answered: 1, unanswered: 1, tickets: 1},
	{id: "v3", channel: "wechat", start: at(3 * time.Hour), unanswered: 2, handoff: time.Minute,
		reply: time.Minute + 90*time.Second, rating: 5, agent: "li.na"},
	{id: "v4", channel: "wechat", start: at(4 * time.Hour), handoff: time.Second,
		reply: 31 * time.Second, rating: 2, agent: "li.na"},
	{id: "v5", channel: "sms", start: at(5 * time.Hour), answered: 1, handoff: time.Second},
	{id: "v6", channel: "webchat", start: at(-time.Hour), answered: 9},   // the day before
	{id: "v7", channel: "sms", start: at(24 * time.Hour), unanswered: 9}, // the day after
}

var ticketRows = []ticket{
	{id: "t1", kind: "fault", source: "webchat", status: "resolved", created: at(2 * time.Hour),
		respondBy: time.Hour, responded: 30 * time.Minute, resolveBy: 24 * time.Hour,
		resolved: 8 * time.Hour, rating: 4},
	{id: "t2", kind: "complaint", source: "", status: "resolved", created: at(-48 * time.Hour),
		respondBy: time.Hour, responded: 49 * time.Hour, resolved: 60 * time.Hour, rating: 1},
	{id: "t3", kind: "fault", source: "wechat", status: "open", risk: "at_risk", created: at(6 * time.Hour),
		respondBy: time.Hour},
	{id: "t4", kind: "fault", source: "wechat", status: "resolved", risk: "breached",
		created: at(7 * time.Hour), resolveBy: 30 * time.Minute, resolved: time.Hour},
	{id: "t5", kind: "complaint", source: "sms", status: "in_progress", risk: "breached",
		created: at(-72 * time.Hour), respondBy: time.Hour},
}

func load(t *testing.T, db *sqldb.DB) {
	t.Helper()
	err := db.Write(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
		for _, v := range visits {
			var handoff, reply int64
			if v.handoff > 0 {
				handoff = v.start.Add(v.handoff).UnixMilli()
			}
			if v.reply > 0 {
				reply = v.start.Add(v.reply).UnixMilli()
			}
			if _, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO visits (id, conversation_id,
				channel, started_at, answered, unanswered, tickets, handoff_at, first_reply_at,
				rating, rated_agent, agent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
				v.id, "c-"+v.id, v.channel, v.start.UnixMilli(), v.answered, v.unanswered,
				v.tickets, handoff, reply, v.rating, v.agent, v.agent); err != nil {
				return err
			}
		}
		for _, k := range ticketRows {
			if _, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO tickets (id, kind, status,
				priority, source, risk, rating, respond_by, resolve_by, responded_at, resolved_at,
				created_at, updated_at, version) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`),
				k.id, k.kind, k.status, k.source, k.risk, k.rating, nanosAfter(k.created, k.respondBy),
				nanosAfter(k.created, k.resolveBy), nanosAfter(k.created, k.responded),
				nanosAfter(k.created, k.resolved), k.created.UnixNano(), k.created.UnixNano()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// nanosAfter is base+d in Unix nanoseconds, or NULL when d is zero.
func nanosAfter(base time.Time, d time.Duration) any {
	if d == 0 {
		return nil
	}
	return base.Add(d).UnixNano()
}

func TestCompute_FixedDay(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqldb.DB) {
		load(t, db)
		got, err := New(db).Compute(context.Background(), day, day.AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}

		wantChannels := map[string]*reports.ChannelDay{
			// v1 self-service, v2 opened a ticket; t1 opened here.
			"webchat": {Visits: 2, SelfService: 1, Tickets: 1, Answered: 3, Unanswered: 1},
			// v3 and v4 handed off; t3 and t4 opened here.
			"wechat": {Visits: 2, Handoffs: 2, Tickets: 2, Unanswered: 2},
			// v5 handed off; t5 was opened three days before.
			"sms": {Visits: 1, Handoffs: 1, Answered: 1},
		}
		if !reflect.DeepEqual(got.Channels, wantChannels) {
			t.Errorf("channels\n got %s\nwant %s", show(got.Channels), show(wantChannels))
		}
		if fr := slices.Sorted(slices.Values(got.FirstReplies)); !slices.Equal(fr, []int64{30, 90}) {
			t.Errorf("first replies %v, want 30 and 90 seconds", fr)
		}
		if r := got.Agents["li.na"]; r == nil || *r != (reports.Ratings{Count: 2, Good: 1, Sum: 7}) {
			t.Errorf("li.na's ratings %+v, want 2 ratings, 1 good, sum 7", r)
		}
		if len(got.Agents) != 1 {
			t.Errorf("ratings of %d agents, want only li.na's", len(got.Agents))
		}
		// Only t1 came from a channel the bot serves and was rated.
		if got.Bot != (reports.Ratings{Count: 1, Good: 1, Sum: 4}) {
			t.Errorf("bot ratings %+v, want one 4", got.Bot)
		}

		fault := got.Kinds["fault"]
		wantFault := &reports.KindDay{Responded: 1, RespondedOnTime: 1,
			ResponseSecs: []int64{1800}, ResponseTargets: []int64{3600},
			Resolved: 2, ResolvedOnTime: 1, ResolutionSecs: []int64{28800, 3600},
			ResolutionTargets: []int64{86400, 1800}, Ratings: reports.Ratings{Count: 1, Good: 1, Sum: 4}}
		sortKind(fault)
		sortKind(wantFault)
		if !reflect.DeepEqual(fault, wantFault) {
			t.Errorf("fault\n got %+v\nwant %+v", fault, wantFault)
		}
		wantComplaint := &reports.KindDay{Responded: 1, ResponseSecs: []int64{49 * 3600},
			ResponseTargets: []int64{3600}, Resolved: 1, ResolvedOnTime: 1,
			ResolutionSecs: []int64{60 * 3600}, Ratings: reports.Ratings{Count: 1, Sum: 1}}
		if !reflect.DeepEqual(got.Kinds["complaint"], wantComplaint) {
			t.Errorf("complaint\n got %+v\nwant %+v", got.Kinds["complaint"], wantComplaint)
		}
	})
}

func TestTicketRisks_OnlyOpenTickets(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqldb.DB) {
		load(t, db)
		got, err := New(db).TicketRisks(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		// t4 is breached but resolved, so it is not counted.
		want := map[string]reports.Risk{"fault": {AtRisk: 1}, "complaint": {Breached: 1}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("risks %+v, want %+v", got, want)
		}
	})
}

func TestOpenConversations_RecentAndNotClosed(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqldb.DB) {
		rows := []struct {
			id, channel, state string
			active             time.Time
		}{
			{"c1", "webchat", "answering", at(10 * time.Hour)},
			{"c2", "webchat", "queued", at(10*time.Hour + time.Minute)},
			{"c3", "webchat", "closed", at(10 * time.Hour)},  // closed
			{"c4", "wechat", "answering", at(9 * time.Hour)}, // idle too long
			{"c5", "sms", "with_agent", at(10*time.Hour + 5*time.Second)},
		}
		err := db.Write(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
			for _, r := range rows {
				if _, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO conversations (id, channel,
					address, state, lang, last_seq, version, created_at, active_at)
					VALUES (?, ?, ?, ?, 'zh', 0, 1, ?, ?)`), r.id, r.channel, "addr-"+r.id, r.state,
					r.active.UnixMilli(), r.active.UnixMilli()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := New(db).OpenConversations(context.Background(), at(10*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]int{"webchat": 2, "sms": 1}; !reflect.DeepEqual(got, want) {
			t.Errorf("open %v, want %v", got, want)
		}
	})
}

func TestSaved_RoundTripAndReplace(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqldb.DB) {
		s := New(db)
		ctx := context.Background()
		first := reports.Day{}
		first.Channel("webchat").Visits = 3
		if err := s.Save(ctx, 20261102, first, at(time.Hour)); err != nil {
			t.Fatal(err)
		}
		second := reports.Day{FirstReplies: []int64{12}}
		second.Channel("webchat").Visits = 4
		if err := s.Save(ctx, 20261102, second, at(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		other := reports.Day{}
		other.Channel("sms").Visits = 1
		if err := s.Save(ctx, 20261105, other, at(3*time.Hour)); err != nil {
			t.Fatal(err)
		}

		got, err := s.Saved(ctx, 20261101, 20261103)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("saved days %v, want only 20261102", got)
		}
		d := got[20261102]
		if d.Day.Channels["webchat"].Visits != 4 || !slices.Equal(d.Day.FirstReplies, []int64{12}) ||
			!d.ComputedAt.Equal(at(2*time.Hour)) {
			t.Errorf("saved %+v at %v, want the second save", d.Day, d.ComputedAt)
		}
	})
}

func sortKind(k *reports.KindDay) {
	if k == nil {
		return
	}
	slices.Sort(k.ResolutionSecs)
	slices.Sort(k.ResolutionTargets)
}

func show(m map[string]*reports.ChannelDay) string {
	out := ""
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out += k + ":" + fmt.Sprintf("%+v", *m[k]) + " "
	}
	return out
}
