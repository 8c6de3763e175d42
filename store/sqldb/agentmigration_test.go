package sqldb_test

import (
	"slices"
	"testing"

	"hotline/store/sqldb"
)

// The account migration makes its tables and indexes on both dialects.
func TestOpen_AgentAccountTables(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *sqldb.DB) {
		if v := migrationVersions(t, db); !slices.Contains(v, 4) {
			t.Fatalf("versions = %v, want 4 applied", v)
		}
		for _, table := range []string{"agent_accounts", "agent_sessions", "audit_log"} {
			if n := countRows(t, db, table); n != 0 {
				t.Fatalf("%s has %d rows", table, n)
			}
		}
		q := "SELECT name FROM sqlite_master WHERE type = 'index'"
		if db.Dialect() == sqldb.Postgres {
			q = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
		}
		got := names(t, db, q)
		for _, idx := range []string{"agent_accounts_role", "agent_sessions_account",
			"agent_sessions_idle", "audit_log_at", "audit_log_actor", "audit_log_conversation"} {
			if !slices.Contains(got, idx) {
				t.Errorf("index %s missing from %v", idx, got)
			}
		}
	})
}

func names(t *testing.T, db *sqldb.DB, query string) []string {
	t.Helper()
	rows, err := db.Reader().Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func countRows(t *testing.T, db *sqldb.DB, table string) int {
	t.Helper()
	var n int
	if err := db.Reader().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
