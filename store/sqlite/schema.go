package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are applied in order; PRAGMA user_version records how many
// have run. Append new ones; never edit a released one.
var migrations = []string{
	`CREATE TABLE conversations (
		id            TEXT PRIMARY KEY,
		channel       TEXT NOT NULL,
		address       TEXT NOT NULL,
		subscriber_id TEXT NOT NULL DEFAULT '',
		state         TEXT NOT NULL,
		lang          TEXT NOT NULL,
		misses        INTEGER NOT NULL DEFAULT 0,
		slots         TEXT NOT NULL DEFAULT '{}',
		last_seq      INTEGER NOT NULL,
		version       INTEGER NOT NULL,
		created_at    INTEGER NOT NULL,
		active_at     INTEGER NOT NULL,
		UNIQUE (channel, address)
	);
	CREATE INDEX conversations_idle ON conversations (active_at) WHERE state <> 'closed';
	CREATE INDEX conversations_active ON conversations (active_at);

	CREATE TABLE messages (
		id              TEXT PRIMARY KEY,
		conversation_id TEXT NOT NULL,
		seq             INTEGER NOT NULL,
		direction       TEXT NOT NULL,
		sender          TEXT NOT NULL,
		body            TEXT NOT NULL,
		provider_id     TEXT,
		reply_to        TEXT NOT NULL DEFAULT '',
		created_at      INTEGER NOT NULL,
		delivery        TEXT NOT NULL DEFAULT '',
		attempts        INTEGER NOT NULL DEFAULT 0,
		UNIQUE (conversation_id, seq)
	);
	CREATE UNIQUE INDEX messages_provider ON messages (conversation_id, provider_id)
		WHERE provider_id IS NOT NULL;
	CREATE INDEX messages_pending ON messages (created_at) WHERE delivery = 'pending';
	CREATE INDEX messages_created ON messages (created_at);

	CREATE TABLE unanswered (
		id              INTEGER PRIMARY KEY,
		conversation_id TEXT NOT NULL,
		message_id      TEXT NOT NULL,
		text            TEXT NOT NULL,
		best_entry      TEXT NOT NULL DEFAULT '',
		best_score      REAL NOT NULL DEFAULT 0,
		suggested       INTEGER NOT NULL DEFAULT 0,
		at              INTEGER NOT NULL
	);
	CREATE INDEX unanswered_at ON unanswered (at);`,
}

// migrate brings the schema up to date inside one transaction.
func migrate(ctx context.Context, db *sql.DB) error {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this program (%d)",
			version, len(migrations))
	}

	for i := version; i < len(migrations); i++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate to %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate to %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate to %d: %w", i+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to %d: %w", i+1, err)
		}
	}
	return nil
}
