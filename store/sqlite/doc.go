// Package sqlite is the conversation store: it implements dialog.Store
// (conversations, transcripts with their delivery outbox, unanswered
// questions) on the embedded SQLite database that store/sqldb opens.
//
// It works on SQLite only: its SQL is SQLite-flavoured, and its writes
// rely on sqldb's group commit over the single writer connection, where a
// failed request is rerun on its own so it never undoes the others. A
// PostgreSQL conversation store for several instances does not exist yet.
// Reads use sqldb's read-only pool, which WAL mode lets run beside the
// writer.
package sqlite
