package convdb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"hotline/channels"
	"hotline/store/sqldb"
)

// ForgetAudit says who runs a forget, when, and under which digest the
// audit log names the subject.
type ForgetAudit struct {
	Actor  string
	At     time.Time
	Digest string
	// Forgot, when set, is told after the commit every channel address
	// whose conversations went, so that caches holding their records can
	// drop them.
	Forgot func(addresses []sqldb.Address)
}

// Forget deletes or anonymises everything the database keeps about one
// subject, in one transaction: their conversations with their
// transcripts, pending deliveries and unanswered questions; the agents'
// notes on them; their SMS records and subscriber bindings; and their
// tickets, anonymised (see sqldb.DB.ForgetTx). Their visits stay for the
// figures, no longer tied to a conversation. The subject grows with what
// its records reveal: the subscriber a conversation was bound to, and
// that subscriber's number and its conversations. An audit entry
// records the forget. It returns the rows touched by table.
func (s *Store) Forget(ctx context.Context, subject sqldb.Subject, a ForgetAudit) (sqldb.Forgotten, error) {
	var f sqldb.Forgotten
	var addresses []sqldb.Address
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		f = sqldb.Forgotten{} // a retried group starts again
		sub := subject
		convs, err := s.subjectConversations(ctx, tx, &sub)
		addresses = sub.Addresses
		if err != nil {
			return err
		}
		if err := s.db.ForgetTx(ctx, tx, sub, convs, f); err != nil {
			return err
		}
		if err := s.forgetConversations(ctx, tx, convs, f); err != nil {
			return err
		}
		return s.db.AuditForgetTx(ctx, tx, a.Actor, a.Digest, a.At, f)
	})
	if err != nil {
		return nil, err
	}
	if a.Forgot != nil {
		a.Forgot(addresses)
	}
	return f, nil
}

// forgetConversations deletes the conversations with their messages and
// unanswered questions, and unties their visits.
func (s *Store) forgetConversations(ctx context.Context, tx *sql.Tx, convs []string, f sqldb.Forgotten) error {
	if len(convs) == 0 {
		return nil
	}
	in := sqldb.Placeholders(len(convs))
	steps := []struct{ table, query string }{
		{"unanswered", "DELETE FROM unanswered WHERE conversation_id IN (" + in + ")"},
		{"messages", "DELETE FROM messages WHERE conversation_id IN (" + in + ")"},
		{"visits", "UPDATE visits SET conversation_id = '' WHERE conversation_id IN (" + in + ")"},
		{"conversations", "DELETE FROM conversations WHERE id IN (" + in + ")"},
	}
	for _, st := range steps {
		res, err := tx.ExecContext(ctx, s.db.Rebind(st.query), sqldb.Args(convs)...)
		if err != nil {
			return fmt.Errorf("forget %s: %w", st.table, err)
		}
		n, _ := res.RowsAffected()
		f[st.table] += n
	}
	return nil
}

// subjectConversations returns the subject's conversations, adding to the
// subject the subscribers they were bound to, those subscribers' numbers
// and the conversations' addresses, until nothing new turns up.
func (s *Store) subjectConversations(ctx context.Context, tx *sql.Tx, sub *sqldb.Subject) ([]string, error) {
	var convs []string
	for range 4 {
		found, err := s.conversationsOf(ctx, tx, *sub)
		if err != nil {
			return nil, err
		}
		grew := false
		for _, c := range found {
			if !slices.Contains(convs, c.id) {
				convs, grew = append(convs, c.id), true
			}
			a := sqldb.Address{Channel: c.channel, Address: c.address}
			if !slices.Contains(sub.Addresses, a) {
				sub.Addresses = append(sub.Addresses, a)
			}
			grew = addNew(&sub.SubscriberIDs, c.subscriber) || grew
		}
		phones, err := s.phonesOf(ctx, tx, sub.SubscriberIDs)
		if err != nil {
			return nil, err
		}
		for _, p := range phones {
			for _, form := range PhoneForms(p) {
				grew = addNew(&sub.Phones, form) || grew
			}
			grew = addNew(&sub.SubscriberIDs, channels.SubscriberFor(p)) || grew
		}
		if !grew {
			break
		}
	}
	return convs, nil
}

// addNew appends v to list unless it is empty or there already.
func addNew(list *[]string, v string) bool {
	if v == "" || slices.Contains(*list, v) {
		return false
	}
	*list = append(*list, v)
	return true
}

// PhoneForms are the forms a number in E.164 takes in the records: as
// is, and for a Chinese number also without +86, as subscribers type it
// into forms.
func PhoneForms(e164 string) []string {
	if national, ok := strings.CutPrefix(e164, "+86"); ok {
		return []string{e164, national}
	}
	return []string{e164}
}

type convRef struct{ id, channel, address, subscriber string }

// conversationsOf finds the conversations of the subject's addresses,
// subscribers and numbers (an SMS conversation's address is its number).
func (s *Store) conversationsOf(ctx context.Context, tx *sql.Tx, sub sqldb.Subject) ([]convRef, error) {
	var where []string
	var args []any
	for _, a := range sub.Addresses {
		where, args = append(where, "(channel = ? AND address = ?)"), append(args, a.Channel, a.Address)
	}
	if len(sub.SubscriberIDs) > 0 {
		where = append(where, "subscriber_id IN ("+sqldb.Placeholders(len(sub.SubscriberIDs))+")")
		args = append(args, sqldb.Args(sub.SubscriberIDs)...)
	}
	if len(sub.Phones) > 0 {
		where = append(where, "address IN ("+sqldb.Placeholders(len(sub.Phones))+")")
		args = append(args, sqldb.Args(sub.Phones)...)
	}
	if len(where) == 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, s.db.Rebind(`SELECT id, channel, address, subscriber_id
		FROM conversations WHERE `+strings.Join(where, " OR ")), args...)
	if err != nil {
		return nil, fmt.Errorf("forget: conversations: %w", err)
	}
	defer rows.Close()
	var out []convRef
	for rows.Next() {
		var c convRef
		if err := rows.Scan(&c.id, &c.channel, &c.address, &c.subscriber); err != nil {
			return nil, fmt.Errorf("forget: conversations: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// phonesOf returns the numbers the subscribers bound.
func (s *Store) phonesOf(ctx context.Context, tx *sql.Tx, subscribers []string) ([]string, error) {
	if len(subscribers) == 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, s.db.Rebind("SELECT phone FROM subscribers WHERE id IN ("+
		sqldb.Placeholders(len(subscribers))+")"), sqldb.Args(subscribers)...)
	if err != nil {
		return nil, fmt.Errorf("forget: subscribers: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("forget: subscribers: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
