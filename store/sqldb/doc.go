// Package sqldb is the program's one database layer over database/sql. It
// opens either the embedded SQLite file in the data directory (the
// default, through the pure-Go driver modernc.org/sqlite) or a PostgreSQL
// server shared by several gateway instances (through pgx), and brings the
// schema up to date with one list of versioned migrations for both.
//
// Writes go through DB.Write. On SQLite one goroutine owns the only writer
// connection and commits concurrent requests together (group commit); on
// PostgreSQL each request is a plain transaction from a pool, and the
// server batches the WAL flushes of concurrent commits itself.
//
// Tickets implements tickets.Store on both dialects.
package sqldb
