package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
	// The pgx driver for database/sql, registered as "pgx".
	_ "github.com/jackc/pgx/v5/stdlib"
)

// PlanEachTime, given as a statement's first argument on PostgreSQL, has
// the server plan the statement for the arguments it runs with, every
// time, instead of reusing the plan pgx's statement cache made once per
// connection. A batch statement over arrays needs it: a plan made while a
// table was small (a seq scan) stays cheap in the planner's eyes long
// after the table has grown, and it cannot see how long the arrays are.
// Planning once per batch costs far less than one bad plan.
var PlanEachTime any = pgx.QueryExecModeExec

// postgresConns is the pool size for reads and writes together. PostgreSQL
// flushes the WAL of concurrent commits together, so more connections than
// cores still help while commits wait for the disk.
const postgresConns = 16

// postgresWriters is how many groups of writes commit at once. Each holds
// one connection while it commits; the rest of the pool serves reads.
const postgresWriters = 4

// openPostgres connects to the server the DSN names, one pool for reads
// and writes. Parameters the driver does not know, such as search_path,
// are sent to the server as settings of every connection.
func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	where := redact(dsn)
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", where, err)
	}
	pool.SetMaxOpenConns(postgresConns)
	pool.SetMaxIdleConns(postgresConns)

	if err := pool.PingContext(ctx); err != nil {
		_ = pool.Close()
		return nil, fmt.Errorf("connect to %s: %w", where, err)
	}
	if err := migrate(ctx, pool, Postgres); err != nil {
		_ = pool.Close()
		return nil, fmt.Errorf("open %s: %w", where, err)
	}
	return &DB{dialect: Postgres, reader: pool, writer: pool,
		group: newGroupWriter(pool, postgresWriters)}, nil
}

// redact returns the DSN's host and database without user or password, so
// errors can name the server without leaking a secret.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres"
	}
	return "postgres://" + u.Host + u.Path
}
