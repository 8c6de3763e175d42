package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hotline/handoff"
)

var _ handoff.NoteStore = (*AgentNotes)(nil)

// AgentNotes keeps agents' internal notes on SQLite or PostgreSQL. It is
// safe for concurrent use.
type AgentNotes struct {
	db *DB
}

// NewAgentNotes returns the note store of db.
func NewAgentNotes(db *DB) *AgentNotes { return &AgentNotes{db: db} }

const sqlInsertNote = `INSERT INTO agent_notes (id, conversation_id, agent_id, body, at)
	VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`

// AddNote stores a note unless its id is taken, and reports whether it did.
func (s *AgentNotes) AddNote(ctx context.Context, n handoff.Note) (bool, error) {
	var added bool
	err := s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.Rebind(sqlInsertNote), n.ID, n.ConversationID,
			n.AgentID, n.Text, nanos(n.At))
		if err != nil {
			return err
		}
		rows, err := res.RowsAffected()
		added = rows == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("insert note: %w", err)
	}
	return added, nil
}

// Notes returns a conversation's notes, oldest first.
func (s *AgentNotes) Notes(ctx context.Context, conversationID string) ([]handoff.Note, error) {
	rows, err := s.db.Reader().QueryContext(ctx, s.db.Rebind(
		`SELECT id, conversation_id, agent_id, body, at FROM agent_notes
		WHERE conversation_id = ? ORDER BY at, id`), conversationID)
	if err != nil {
		return nil, fmt.Errorf("read notes: %w", err)
	}
	defer rows.Close()
	var out []handoff.Note
	for rows.Next() {
		var n handoff.Note
		if err := rows.Scan(&n.ID, &n.ConversationID, &n.AgentID, &n.Text,
			timeScan{&n.At, time.UTC}); err != nil {
			return nil, fmt.Errorf("read notes: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
