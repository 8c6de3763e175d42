package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"hotline/handoff"
)

var _ handoff.AuditStore = (*AuditLog)(nil)

// AuditLog is the desk's audit log on SQLite or PostgreSQL. It only
// appends: it has no way to change or remove an entry. It is safe for
// concurrent use.
type AuditLog struct {
	db *DB
}

// NewAuditLog returns the audit log of db.
func NewAuditLog(db *DB) *AuditLog {
	return &AuditLog{db: db}
}

const sqlInsertAudit = `INSERT INTO audit_log (at, actor, action, conversation_id, detail)
	VALUES (?, ?, ?, ?, ?) RETURNING id`

// AppendAudit stores an entry and returns the id it was given.
func (s *AuditLog) AppendAudit(ctx context.Context, e handoff.AuditEntry) (int64, error) {
	var id int64
	err := s.db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, s.db.Rebind(sqlInsertAudit), nanos(e.At), e.Actor,
			string(e.Action), e.ConversationID, e.Detail).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("insert audit entry: %w", err)
	}
	return id, nil
}

// AuditEntries returns the entries the query selects, newest first, at
// most q.Limit (100 when it is 0).
func (s *AuditLog) AuditEntries(ctx context.Context,
	q handoff.AuditQuery) ([]handoff.AuditEntry, error) {
	query, args := auditQuery(q)
	rows, err := s.db.Reader().QueryContext(ctx, s.db.Rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()

	var out []handoff.AuditEntry
	for rows.Next() {
		var e handoff.AuditEntry
		var action string
		if err := rows.Scan(&e.ID, timeScan{&e.At, time.UTC}, &e.Actor, &action,
			&e.ConversationID, &e.Detail); err != nil {
			return nil, fmt.Errorf("read audit log: %w", err)
		}
		e.Action = handoff.AuditAction(action)
		out = append(out, e)
	}
	return out, rows.Err()
}

// defaultAuditEntries is how many entries a query of limit 0 returns.
const defaultAuditEntries = 100

// auditQuery builds the select for q. A conversation filter repeats the
// partial index's condition so PostgreSQL can use it.
func auditQuery(q handoff.AuditQuery) (string, []any) {
	var where []string
	var args []any
	if q.Actor != "" {
		where, args = append(where, "actor = ?"), append(args, q.Actor)
	}
	if q.ConversationID != "" {
		where = append(where, "conversation_id = ? AND conversation_id <> ''")
		args = append(args, q.ConversationID)
	}
	query := "SELECT id, at, actor, action, conversation_id, detail FROM audit_log"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	limit := q.Limit
	if limit <= 0 {
		limit = defaultAuditEntries
	}
	return query + " ORDER BY at DESC, id DESC LIMIT ?", append(args, limit)
}
