package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"hotline/tickets"
)

// Subject is one data subject: the phone numbers, subscriber ids and
// channel addresses that are theirs. Any of them may be empty.
type Subject struct {
	// Phones are the subject's numbers, in every form records hold them
	// (+8613812345678, 13812345678).
	Phones []string
	// SubscriberIDs are the subject's subscriber records.
	SubscriberIDs []string
	// Addresses are the subject's channel addresses: a WeChat OpenID, a
	// web chat visitor, an SMS number.
	Addresses []Address
}

// Address is a channel address, such as wechat and an OpenID.
type Address struct {
	Channel, Address string
}

// Forgotten counts, by table, the rows a forget deleted or anonymised.
type Forgotten map[string]int64

// Total is the number of rows touched.
func (f Forgotten) Total() int64 {
	var n int64
	for _, v := range f {
		n += v
	}
	return n
}

// String lists the counts as "table n", in a fixed order, for an audit
// entry; it names no record.
func (f Forgotten) String() string {
	var parts []string
	for _, t := range forgetTables {
		if n := f[t]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", t, n))
		}
	}
	return strings.Join(parts, ", ")
}

// forgetTables are the tables a forget touches, in the order it reports
// them.
var forgetTables = []string{"conversations", "messages", "unanswered", "visits", "agent_notes",
	"sms_sends", "sms_keywords", "sms_optouts", "subscribers", "tickets", "ticket_history",
	"ticket_events", "idempotency"}

// ForgetTx removes, within tx, what the tables outside the conversation
// store keep about a subject whose conversations are given: their notes,
// SMS records and subscriber bindings go; their tickets are anonymised,
// keeping kind, category, status, priority, area, service, rating and
// times for the figures, and so are the tickets' history and events (a
// relay still delivers them, without personal data) and the API
// responses kept for retries that show them. Run it before the
// conversations' messages are deleted: SMS sends are found by them.
func (db *DB) ForgetTx(ctx context.Context, tx *sql.Tx, s Subject, conversations []string, f Forgotten) error {
	steps := []func(context.Context, *sql.Tx, Subject, []string, Forgotten) error{
		db.forgetConversationRecords, db.forgetSMS, db.forgetSubscribers, db.forgetTickets,
	}
	for _, step := range steps {
		if err := step(ctx, tx, s, conversations, f); err != nil {
			return fmt.Errorf("forget: %w", err)
		}
	}
	return nil
}

// exec runs a statement with an IN list of args and counts its rows.
func (db *DB) execCount(ctx context.Context, tx *sql.Tx, f Forgotten, table, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, db.Rebind(query), args...)
	if err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	n, _ := res.RowsAffected()
	f[table] += n
	return nil
}

// Placeholders returns "?, ?, ?" for n values.
func Placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Args turns strings into query arguments.
func Args(values []string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// forgetConversationRecords deletes the agents' notes on the
// conversations and the SMS sends of their messages.
func (db *DB) forgetConversationRecords(ctx context.Context, tx *sql.Tx, _ Subject, convs []string, f Forgotten) error {
	if len(convs) == 0 {
		return nil
	}
	in := Placeholders(len(convs))
	if err := db.execCount(ctx, tx, f, "agent_notes",
		"DELETE FROM agent_notes WHERE conversation_id IN ("+in+")", Args(convs)...); err != nil {
		return err
	}
	return db.execCount(ctx, tx, f, "sms_sends", `DELETE FROM sms_sends WHERE message_id IN
		(SELECT id FROM messages WHERE conversation_id IN (`+in+"))", Args(convs)...)
}

// forgetSMS deletes the numbers' opt-outs and the keywords recorded
// under them (those a provider gave no key for are keyed by number).
func (db *DB) forgetSMS(ctx context.Context, tx *sql.Tx, s Subject, _ []string, f Forgotten) error {
	if len(s.Phones) == 0 {
		return nil
	}
	if err := db.execCount(ctx, tx, f, "sms_optouts",
		"DELETE FROM sms_optouts WHERE phone IN ("+Placeholders(len(s.Phones))+")", Args(s.Phones)...); err != nil {
		return err
	}
	for _, p := range s.Phones {
		if err := db.execCount(ctx, tx, f, "sms_keywords",
			"DELETE FROM sms_keywords WHERE provider_key LIKE ?", "text:"+p+":%"); err != nil {
			return err
		}
	}
	return nil
}

// forgetSubscribers deletes the subject's bindings.
func (db *DB) forgetSubscribers(ctx context.Context, tx *sql.Tx, s Subject, _ []string, f Forgotten) error {
	var where []string
	var args []any
	if len(s.SubscriberIDs) > 0 {
		where = append(where, "id IN ("+Placeholders(len(s.SubscriberIDs))+")")
		args = append(args, Args(s.SubscriberIDs)...)
	}
	if len(s.Phones) > 0 {
		where = append(where, "phone IN ("+Placeholders(len(s.Phones))+")")
		args = append(args, Args(s.Phones)...)
	}
	if len(where) == 0 {
		return nil
	}
	return db.execCount(ctx, tx, f, "subscribers",
		"DELETE FROM subscribers WHERE "+strings.Join(where, " OR "), args...)
}

// subjectTickets returns the ids of the tickets that are the subject's or
// name one of their numbers.
func (db *DB) subjectTickets(ctx context.Context, tx *sql.Tx, s Subject, convs []string) ([]string, error) {
	var where []string
	var args []any
	add := func(column string, values []string) {
		if len(values) > 0 {
			where = append(where, column+" IN ("+Placeholders(len(values))+")")
			args = append(args, Args(values)...)
		}
	}
	add("phone", s.Phones)
	add("conversation_id", convs)
	for _, a := range s.Addresses {
		where = append(where, "(owner_channel = ? AND owner_address = ?)")
		args = append(args, a.Channel, a.Address)
	}
	if len(s.SubscriberIDs) > 0 {
		where = append(where, "(owner_subscriber_id IN ("+Placeholders(len(s.SubscriberIDs))+
			") AND owner_subscriber_id <> '')")
		args = append(args, Args(s.SubscriberIDs)...)
	}
	if len(where) == 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, db.Rebind("SELECT id FROM tickets WHERE "+strings.Join(where, " OR ")), args...)
	if err != nil {
		return nil, fmt.Errorf("tickets: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("tickets: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// sqlAnonymiseTicket clears a ticket's personal fields. A source key
// made from the conversation goes; one an API caller gave stays, so its
// retries still find the ticket.
const sqlAnonymiseTicket = `UPDATE tickets SET phone = '', details = '{}', summary = '',
	resolution = '', owner_address = '', owner_subscriber_id = '', conversation_id = '',
	source_key = CASE WHEN source_key LIKE 'api:%' THEN source_key ELSE '' END,
	version = version + 1 WHERE id = ?`

// sqlAnonymiseHistory clears the notes of a ticket's history and the
// values of its entries that hold text.
const sqlAnonymiseHistory = `UPDATE ticket_history SET note = '',
	from_value = CASE WHEN action IN ('status', 'risk', 'rated', 'assigned', 'outage') THEN from_value ELSE '' END,
	to_value = CASE WHEN action IN ('status', 'risk', 'rated', 'assigned', 'outage') THEN to_value ELSE '' END
	WHERE ticket_id = ?`

// forgetTickets anonymises the subject's tickets, their history, their
// events and the stored API responses that show them.
func (db *DB) forgetTickets(ctx context.Context, tx *sql.Tx, s Subject, convs []string, f Forgotten) error {
	ids, err := db.subjectTickets(ctx, tx, s, convs)
	if err != nil || len(ids) == 0 {
		return err
	}
	for _, id := range ids {
		if err := db.execCount(ctx, tx, f, "tickets", sqlAnonymiseTicket, id); err != nil {
			return err
		}
		if err := db.execCount(ctx, tx, f, "ticket_history", sqlAnonymiseHistory, id); err != nil {
			return err
		}
		if err := db.anonymiseEvents(ctx, tx, id, f); err != nil {
			return err
		}
	}
	return db.forgetResponses(ctx, tx, ids, s.Phones, f)
}

// anonymiseEvents rewrites the payloads of a ticket's events without
// personal data, in the compact form.
func (db *DB) anonymiseEvents(ctx context.Context, tx *sql.Tx, ticketID string, f Forgotten) error {
	rows, err := tx.QueryContext(ctx, db.Rebind("SELECT seq, payload FROM ticket_events WHERE ticket_id = ?"), ticketID)
	if err != nil {
		return fmt.Errorf("ticket events: %w", err)
	}
	type event struct {
		seq     int64
		payload string
	}
	var events []event
	for rows.Next() {
		var e event
		if err := rows.Scan(&e.seq, &e.payload); err != nil {
			rows.Close()
			return fmt.Errorf("ticket events: %w", err)
		}
		events = append(events, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("ticket events: %w", err)
	}
	for _, e := range events {
		p, err := anonymisePayload(e.payload)
		if err != nil {
			return fmt.Errorf("ticket event %d: %w", e.seq, err)
		}
		if err := db.execCount(ctx, tx, f, "ticket_events",
			"UPDATE ticket_events SET payload = ? WHERE seq = ?", p, e.seq); err != nil {
			return err
		}
	}
	return nil
}

// anonymisePayload returns an event's stored JSON, of either form, in
// the compact form without the ticket's personal data.
func anonymisePayload(raw string) (string, error) {
	var c compactPayload
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return "", err
	}
	if c.V != snapVersion {
		var p payload
		if err := json.Unmarshal([]byte(raw), &p); err != nil {
			return "", err
		}
		c = compact(tickets.Event{Ticket: p.Ticket, Change: p.Change, Outage: p.Outage, Consumers: p.Consumers})
	}
	t := &c.Ticket
	t.Phone, t.Details, t.Summary, t.Resolution, t.Address, t.SubscriberID, t.ConversationID = "", nil, "", "", "", "", ""
	if !strings.HasPrefix(t.SourceKey, "api:") {
		t.SourceKey = ""
	}
	c.Change.Note = ""
	switch c.Change.Action {
	case tickets.ActionStatus, tickets.ActionRisk, tickets.ActionRated, tickets.ActionAssigned, tickets.ActionOutage:
	default:
		c.Change.From, c.Change.To = "", ""
	}
	b, err := json.Marshal(c)
	return string(b), err
}

// forgetResponses deletes the API responses kept for retries that name
// one of the tickets or numbers.
func (db *DB) forgetResponses(ctx context.Context, tx *sql.Tx, ids, phones []string, f Forgotten) error {
	rows, err := tx.QueryContext(ctx, "SELECT idem_key, body FROM idempotency")
	if err != nil {
		return fmt.Errorf("idempotency: %w", err)
	}
	var keys []string
	for rows.Next() {
		var key string
		var body []byte
		if err := rows.Scan(&key, &body); err != nil {
			rows.Close()
			return fmt.Errorf("idempotency: %w", err)
		}
		if containsAny(string(body), ids) || containsAny(string(body), phones) {
			keys = append(keys, key)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("idempotency: %w", err)
	}
	for _, k := range keys {
		if err := db.execCount(ctx, tx, f, "idempotency", "DELETE FROM idempotency WHERE idem_key = ?", k); err != nil {
			return err
		}
	}
	return nil
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if x != "" && strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// sqlInsertForgetAudit records a forget in the audit log.
const sqlInsertForgetAudit = `INSERT INTO audit_log (at, actor, action, conversation_id, detail)
	VALUES (?, ?, 'forget', '', ?)`

// AuditForgetTx writes, within tx, the audit entry of a forget: who ran
// it, when, the subject's digest and the counts; never the subject's
// numbers or addresses.
func (db *DB) AuditForgetTx(ctx context.Context, tx *sql.Tx, actor, digest string, at time.Time, f Forgotten) error {
	detail := "subject " + digest
	if counts := f.String(); counts != "" {
		detail += ": " + counts
	}
	if _, err := tx.ExecContext(ctx, db.Rebind(sqlInsertForgetAudit), nanos(at), actor, detail); err != nil {
		return fmt.Errorf("audit forget: %w", err)
	}
	return nil
}
