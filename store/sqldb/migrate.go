package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migrate applies the migrations the database has not seen, each in its
// own transaction. On PostgreSQL every step holds a transaction-scoped
// advisory lock for the current schema, so instances starting together
// apply each migration once.
func migrate(ctx context.Context, db *sql.DB, d Dialect) error {
	applied, err := appliedVersions(ctx, db, d)
	if err != nil {
		return err
	}
	if applied > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this program (%d)",
			applied, len(migrations))
	}
	for v := applied + 1; v <= len(migrations); v++ {
		if err := applyMigration(ctx, db, d, v); err != nil {
			return fmt.Errorf("migrate to %d: %w", v, err)
		}
	}
	return nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    BIGINT PRIMARY KEY,
	applied_at BIGINT NOT NULL
)`

// appliedVersions creates the migrations table if needed and returns the
// highest version applied. A SQLite file from before the table existed
// counted its migrations in PRAGMA user_version; those are recorded as
// applied.
func appliedVersions(ctx context.Context, db *sql.DB, d Dialect) (int, error) {
	var top int
	err := inMigrationTx(ctx, db, d, func(tx *sql.Tx) error {
		if d == SQLite {
			if err := adoptUserVersion(ctx, tx); err != nil {
				return err
			}
		}
		return tx.QueryRowContext(ctx,
			"SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&top)
	})
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return top, nil
}

// adoptUserVersion records versions 1..user_version when the migrations
// table is still empty.
func adoptUserVersion(ctx context.Context, tx *sql.Tx) error {
	var count, userVersion int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&count); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&userVersion); err != nil {
		return err
	}
	if count > 0 {
		return nil
	}
	for v := 1; v <= userVersion; v++ {
		if err := recordMigration(ctx, tx, SQLite, v); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration runs migration v unless another instance did meanwhile.
func applyMigration(ctx context.Context, db *sql.DB, d Dialect, v int) error {
	return inMigrationTx(ctx, db, d, func(tx *sql.Tx) error {
		var done int
		err := tx.QueryRowContext(ctx, rebindFor(d,
			"SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), v).Scan(&done)
		if err != nil || done > 0 {
			return err
		}
		if _, err := tx.ExecContext(ctx, dialectSQL(d, migrations[v-1])); err != nil {
			return err
		}
		return recordMigration(ctx, tx, d, v)
	})
}

// recordMigration marks v applied. On SQLite it also sets user_version,
// so a program from before schema_migrations refuses a newer file.
func recordMigration(ctx context.Context, tx *sql.Tx, d Dialect, v int) error {
	_, err := tx.ExecContext(ctx, rebindFor(d,
		"INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"),
		v, time.Now().UnixNano())
	if err != nil || d != SQLite {
		return err
	}
	_, err = tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v))
	return err
}

// inMigrationTx runs fn in a transaction that holds the migration lock on
// PostgreSQL and sees the migrations table.
func inMigrationTx(ctx context.Context, db *sql.DB, d Dialect, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()

	if d == Postgres {
		_, err := tx.ExecContext(ctx,
			"SELECT pg_advisory_xact_lock(hashtext('hotline.migrate'), hashtext(current_schema()))")
		if err != nil {
			return fmt.Errorf("take the migration lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, createMigrationsTable); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func rebindFor(d Dialect, query string) string {
	if d == Postgres {
		return rebindDollar(query)
	}
	return query
}
