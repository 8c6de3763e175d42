package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"hotline/dialog"
	"hotline/handoff"
	"hotline/store/redisstore"
	"hotline/store/sqldb"
	"hotline/store/sqldb/sqldbtest"
)

// -forget deletes a web chat visitor's conversation on SQLite and on
// PostgreSQL, prints the counts under the subject's digest, and leaves an
// audit entry; with Redis it also drops the conversation's cached record.
func TestForgetCommand(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres", "postgres+redis"} {
		t.Run(dialect, func(t *testing.T) {
			env := map[string]string{}
			switch dialect {
			case "postgres":
				env["HOTLINE_DATABASE_URL"] = sqldbtest.Schema(t)
			case "postgres+redis":
				env = sharedEnv(t, nil)
			}
			dir := t.TempDir()
			g := startGateway(t, dir, env)
			c := dial(t, g.addr, nil)
			c.hello("", "")
			c.ask("c1", "我的手机13812345678，地址朝阳区建国路88号，宽带断了")
			g.stop()

			opts := sqldb.Options{DSN: env["HOTLINE_DATABASE_URL"], DataDir: dir}
			address := webchatAddress(t, opts)
			cached := cachedRecord(t, env, address)
			if dialect == "postgres+redis" && !cached() {
				t.Fatal("the conversation's record is not cached in Redis before the forget")
			}
			var out bytes.Buffer
			err := Run(context.Background(), Options{
				Args: []string{"-config", testConfig(t), "-data", dir,
					"-forget", "webchat:" + address, "-actor", "ops.zhang"},
				Getenv: func(k string) string { return env[k] }, Stdout: &out, Stderr: captureLog(t.Name()),
			})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(out.String(), "forgot addr_") || !strings.Contains(out.String(), "conversations 1") ||
				strings.Contains(out.String(), address) {
				t.Errorf("report %q", out.String())
			}
			checkForgotten(t, opts)
			if cached() {
				t.Error("the conversation's record is still cached in Redis")
			}
		})
	}
}

// cachedRecord reports whether the record of the web chat conversation at
// address is in the instances' shared cache in Redis (never, without
// Redis).
func cachedRecord(t *testing.T, env map[string]string, address string) func() bool {
	if env["HOTLINE_REDIS_URL"] == "" {
		return func() bool { return false }
	}
	rdb, err := redisstore.Open(t.Context(), env["HOTLINE_REDIS_URL"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rdb.Close() })
	records := redisstore.NewRecords(rdb, redisstore.Keys{Prefix: env["HOTLINE_REDIS_PREFIX"]}, time.Hour,
		slog.New(slog.DiscardHandler))
	return func() bool {
		_, ok := records.Get(t.Context(), dialog.RecordKey("webchat", address))
		return ok
	}
}

// webchatAddress is the address of the one web chat conversation.
func webchatAddress(t *testing.T, o sqldb.Options) string {
	t.Helper()
	db, err := sqldb.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var address string
	if err := db.Reader().QueryRow("SELECT address FROM conversations WHERE channel = 'webchat'").Scan(&address); err != nil {
		t.Fatal(err)
	}
	return address
}

func checkForgotten(t *testing.T, o sqldb.Options) {
	t.Helper()
	db, err := sqldb.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"SELECT COUNT(*) FROM conversations", "SELECT COUNT(*) FROM messages",
		"SELECT COUNT(*) FROM messages WHERE body LIKE '%13812345678%'"} {
		var n int
		if err := db.Reader().QueryRow(q).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s = %d, %v; want 0", q, n, err)
		}
	}
	es, err := sqldb.NewAuditLog(db).AuditEntries(context.Background(), handoff.AuditQuery{Actor: "ops.zhang"})
	if err != nil || len(es) != 1 || es[0].Action != "forget" || !strings.Contains(es[0].Detail, "addr_") {
		t.Errorf("audit entries %+v, %v", es, err)
	}
}

func TestParseSubject(t *testing.T) {
	s, digest, err := parseSubject("phone:138 1234 5678", "86")
	if err != nil || !strings.HasPrefix(digest, "sub_") || len(s.Phones) != 2 || s.Phones[0] != "+8613812345678" ||
		s.Phones[1] != "13812345678" {
		t.Errorf("phone subject %+v %q %v", s, digest, err)
	}
	s, digest, err = parseSubject("wechat:oWx_123", "86")
	if err != nil || len(s.Addresses) != 1 || s.Addresses[0].Channel != "wechat" || strings.Contains(digest, "oWx") {
		t.Errorf("wechat subject %+v %q %v", s, digest, err)
	}
	if s, _, err := parseSubject("subscriber:sub_abc", "86"); err != nil || s.SubscriberIDs[0] != "sub_abc" {
		t.Errorf("subscriber subject %+v %v", s, err)
	}
	for _, bad := range []string{"", "13812345678", "phone:", "phone:abc", ":x"} {
		if _, _, err := parseSubject(bad, "86"); err == nil {
			t.Errorf("parseSubject(%q) accepted", bad)
		}
	}
}
