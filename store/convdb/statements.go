package convdb

import (
	"context"
	"database/sql"
)

// The writer's statements, prepared once when the store opens.
const (
	sqlInsertConversation = "INSERT INTO conversations (" + convColumns + `)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`

	sqlUpdateConversation = `UPDATE conversations SET subscriber_id = ?, state = ?,
		lang = ?, misses = ?, slots = ?, last_seq = ?, version = version + 1, active_at = ?
		WHERE id = ? AND version = ?`

	sqlInsertMessage = "INSERT INTO messages (" + msgColumns + `)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

	sqlInsertUnanswered = `INSERT INTO unanswered
		(conversation_id, message_id, text, best_entry, best_score, suggested, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`

	sqlMarkDelivery = "UPDATE messages SET delivery = ?, attempts = ? WHERE id = ?"
)

// writerStatements are prepared when the store is made: the writer's
// single connection is busy inside a transaction later, so it cannot
// prepare then.
var writerStatements = []string{
	sqlInsertConversation, sqlUpdateConversation, sqlInsertMessage,
	sqlInsertUnanswered, sqlMarkDelivery,
}

// exec runs a statement inside a write transaction, prepared if it is one
// of writerStatements.
func (s *Store) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	return s.stmts.Exec(ctx, tx, query, args...)
}

// queryRow runs a read statement, prepared once.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.stmts.QueryRow(ctx, query, args...)
}

// query runs a read statement returning rows, prepared once.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.stmts.Query(ctx, query, args...)
}
