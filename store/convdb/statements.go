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

	// sqlSaveVisit adds a turn's change to its visit: counts add up, the
	// first hand-off and first agent reply stay, the latest agent, rating
	// and end replace what was there.
	sqlSaveVisit = `INSERT INTO visits (id, conversation_id, channel, started_at, answered,
		unanswered, tickets, handoff_at, agent_id, first_reply_at, rating, rated_agent, ended_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		` + visitUpsert
)

// visitUpsert adds a visit's change to the stored visit, in every
// statement that writes visits.
const visitUpsert = `ON CONFLICT (id) DO UPDATE SET
		answered = visits.answered + excluded.answered,
		unanswered = visits.unanswered + excluded.unanswered,
		tickets = visits.tickets + excluded.tickets,
		handoff_at = CASE WHEN visits.handoff_at = 0 THEN excluded.handoff_at ELSE visits.handoff_at END,
		agent_id = CASE WHEN excluded.agent_id = '' THEN visits.agent_id ELSE excluded.agent_id END,
		first_reply_at = CASE WHEN visits.first_reply_at = 0 THEN excluded.first_reply_at
			ELSE visits.first_reply_at END,
		rating = CASE WHEN excluded.rating = 0 THEN visits.rating ELSE excluded.rating END,
		rated_agent = CASE WHEN excluded.rating = 0 THEN visits.rated_agent ELSE excluded.rated_agent END,
		ended_at = CASE WHEN excluded.ended_at = 0 THEN visits.ended_at ELSE excluded.ended_at END`

// writerStatements are prepared when the store is made: the writer's
// single connection is busy inside a transaction later, so it cannot
// prepare then.
var writerStatements = []string{
	sqlInsertConversation, sqlUpdateConversation, sqlInsertMessage,
	sqlInsertUnanswered, sqlMarkDelivery, sqlSaveVisit,
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
