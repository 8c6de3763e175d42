// Package sqlite is the embedded store: one SQLite file in the data
// directory, through the pure-Go driver modernc.org/sqlite, so a single
// gateway needs nothing else installed.
//
// It implements dialog.Store. Writes go through one writer goroutine that
// commits concurrent requests together (group commit), each request in its
// own savepoint so one failure does not undo the others. Reads use a
// separate read-only pool, which WAL mode lets run beside the writer.
package sqlite
