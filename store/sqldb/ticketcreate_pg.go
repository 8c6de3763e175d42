package sqldb

import (
	"context"
	"database/sql"
	"slices"

	"hotline/tickets"
)

// sqlCreateTicketPG stores a ticket, its history, its events and their
// outbox rows in one statement, so a creation costs PostgreSQL one round
// trip inside its transaction instead of one per row. The history and the
// events come as parallel arrays, numbered so their ids follow the given
// order; every event is queued for the same consumers. When the source key
// is taken, t is empty, nothing else is inserted and the count is 0.
const sqlCreateTicketPG = `WITH t AS (
	INSERT INTO tickets (` + ticketColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
		$19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)
	ON CONFLICT (source_key) WHERE source_key <> '' DO NOTHING
	RETURNING id
), h AS (
	INSERT INTO ticket_history (ticket_id, at, actor, action, from_value, to_value, note)
	SELECT t.id, c.at, c.actor, c.action, c.from_value, c.to_value, c.note
	FROM t, unnest($30::bigint[], $31::text[], $32::text[], $33::text[], $34::text[],
		$35::text[]) WITH ORDINALITY AS c(at, actor, action, from_value, to_value, note, n)
	ORDER BY c.n
), e AS (
	INSERT INTO ticket_events (ticket_id, type, payload, at)
	SELECT t.id, v.type, v.payload, v.at
	FROM t, unnest($36::text[], $37::text[], $38::bigint[]) WITH ORDINALITY AS v(type, payload, at, n)
	ORDER BY v.n
	RETURNING seq
), o AS (
	INSERT INTO ticket_outbox (consumer, seq)
	SELECT c.consumer, e.seq FROM e, unnest($39::text[]) AS c(consumer)
)
SELECT count(*) FROM t`

// oneStatementArgs returns the arguments of sqlCreateTicketPG, or false
// when the creation does not fit it: an event of another ticket, events
// with different consumers, or a zero time the arrays cannot carry as the
// NULL the separate inserts would refuse.
func oneStatementArgs(t tickets.Ticket, details string, events []eventRow) ([]any, bool) {
	history, ok := historyArrays(t.History)
	if !ok {
		return nil, false
	}
	evs, consumers, ok := eventArrays(t.ID, events)
	if !ok {
		return nil, false
	}
	args := ticketArgs(t, details)
	args = append(args, history...)
	args = append(args, evs...)
	return append(args, consumers), true
}

// historyArrays turns history entries into the statement's six arrays.
func historyArrays(changes []tickets.Change) ([]any, bool) {
	n := len(changes)
	at := make([]int64, 0, n)
	actor, action := make([]string, 0, n), make([]string, 0, n)
	from, to, note := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	for _, c := range changes {
		if c.At.IsZero() {
			return nil, false
		}
		at = append(at, c.At.UnixNano())
		actor, action = append(actor, c.Actor), append(action, c.Action)
		from, to, note = append(from, c.From), append(to, c.To), append(note, c.Note)
	}
	return []any{at, actor, action, from, to, note}, true
}

// eventArrays turns the events of ticket id into the statement's three
// arrays, and returns the consumers they share.
func eventArrays(id string, events []eventRow) ([]any, []string, bool) {
	n := len(events)
	typ, payload, at := make([]string, 0, n), make([]string, 0, n), make([]int64, 0, n)
	consumers := []string{}
	for i, e := range events {
		when, ok := e.at.(int64)
		if !ok || e.ticketID != id || (i > 0 && !slices.Equal(e.consumers, consumers)) {
			return nil, nil, false
		}
		if i == 0 && e.consumers != nil {
			consumers = e.consumers
		}
		typ, payload, at = append(typ, e.typ), append(payload, e.payload), append(at, when)
	}
	return []any{typ, payload, at}, consumers, true
}

// createOneStatement runs sqlCreateTicketPG and reports whether the
// ticket was inserted.
func createOneStatement(ctx context.Context, tx *sql.Tx, args []any) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, sqlCreateTicketPG, args...).Scan(&n); err != nil {
		return false, conflictOr(err, "insert ticket")
	}
	return n > 0, nil
}
