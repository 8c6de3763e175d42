// Package convdb is the conversation store: it implements dialog.Store
// (conversations, transcripts with their delivery outbox, unanswered
// questions) on the database that store/sqldb opens, the embedded SQLite
// file or PostgreSQL.
//
// Its SQL is written once for both dialects (sqldb rebinds the
// placeholders for PostgreSQL) and its writes go through sqldb's group
// commit, where a failed request is rerun on its own so it never undoes
// the others. On SQLite the writer's statements are prepared once and
// reads use the read-only pool that WAL mode lets run beside the writer.
package convdb
