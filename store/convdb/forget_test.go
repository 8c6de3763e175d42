package convdb

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hotline/channels"
	"hotline/channels/sms"
	"hotline/dialog"
	"hotline/handoff"
	"hotline/store/sqldb"
	"hotline/tickets"
)

const (
	forgetPhone  = "+8613812345678"
	forgetOpenID = "oWx_forget_me_7f3a"
	otherPhone   = "+8613999990000"
)

// forgetSecrets are what must not survive the forget anywhere.
var forgetSecrets = []string{"13812345678", forgetOpenID, "朝阳区建国路88号", "建国路88号",
	"11010519491231002X", "我家宽带三天没网了", "光猫红灯一直闪", "客户很着急"}

// subscriberData stores, for one subscriber, what the gateway keeps about
// them: an SMS and a WeChat conversation bound to their number, with
// transcripts, a pending delivery, an unanswered question and a visit, an
// agent's note, an SMS keyword and opt-out, a send record, the binding,
// and a ticket with history, an event and a stored API response.
type subscriberData struct {
	phone, openID, prefix string
	address, idCard       string
	texts                 []string // three texts of theirs
}

func (d subscriberData) store(t *testing.T, s *Store) (ticketID string) {
	t.Helper()
	ctx := context.Background()
	db := s.DB()
	sub := channels.SubscriberFor(d.phone)
	national := strings.TrimPrefix(d.phone, "+86")
	smsConv := dialog.Conversation{ID: d.prefix + "-sms", Channel: "sms", Address: d.phone, SubscriberID: sub,
		State: dialog.StateAnswering, Lang: "zh", CreatedAt: t0, ActiveAt: t0, LastSeq: 2,
		Slots: map[string]string{"contact": national, "address": d.address}}
	wxConv := dialog.Conversation{ID: d.prefix + "-wx", Channel: "wechat", Address: d.openID, SubscriberID: sub,
		State: dialog.StateAnswering, Lang: "zh", CreatedAt: t0, ActiveAt: t0, LastSeq: 1}
	in := msg(smsConv.ID, 1, dialog.In, d.texts[0]+"，手机"+national)
	in.ProviderID = d.prefix + "-provider-1"
	out := msg(smsConv.ID, 2, dialog.Out, "收到，地址是"+d.address+"吗？")
	for _, ch := range []dialog.Change{
		{Conversation: smsConv, Messages: []dialog.Message{in, out},
			Unanswered: []dialog.Unanswered{{ConversationID: smsConv.ID, MessageID: in.ID, Text: d.texts[0], At: t0}},
			Visit:      &dialog.VisitChange{ID: d.prefix + "-v1", ConversationID: smsConv.ID, Channel: "sms", StartedAt: t0, Tickets: 1}},
		{Conversation: wxConv, Messages: []dialog.Message{msg(wxConv.ID, 1, dialog.In, d.texts[1]+" 身份证"+d.idCard)}},
	} {
		if err := s.Commit(ctx, ch); err != nil {
			t.Fatal(err)
		}
	}
	must(t, sqldb.NewSubscribers(db).Bind(ctx, sub, d.phone, "wechat", d.openID, t0))
	_, err := sqldb.NewAgentNotes(db).AddNote(ctx, handoff.Note{ID: d.prefix + "-note", ConversationID: wxConv.ID,
		AgentID: "li.na", Text: d.texts[2], At: t0})
	must(t, err)
	store := sqldb.NewSMS(db)
	_, err = store.Keyword(ctx, "sms", "text:"+d.phone+":2026-12-03T08:00:00Z", d.phone, sms.OptOut, t0)
	must(t, err)
	must(t, store.RecordSends(ctx, "sms", []sms.Sent{{ProviderID: d.prefix + "-sent-1", MessageID: out.ID, At: t0}}))
	return d.ticket(t, db, wxConv.ID, sub, national)
}

func (d subscriberData) ticket(t *testing.T, db *sqldb.DB, convID, sub, national string) string {
	t.Helper()
	ctx := context.Background()
	ts := sqldb.NewTickets(db)
	t.Cleanup(ts.Close)
	tk := tickets.Ticket{Kind: tickets.KindFault, Category: "broadband_down", Status: tickets.StatusNew,
		Priority: tickets.PriorityNormal, Owner: tickets.Owner{Channel: "wechat", Address: d.openID, SubscriberID: sub},
		ConversationID: convID, Source: "wechat", SourceKey: convID + "/f1", Phone: national,
		Details: map[string]string{"address": d.address, "symptom": d.texts[0]},
		Summary: "宽带报修\n联系电话：" + national, Area: "chaoyang", Service: "broadband",
		CreatedAt: t0, UpdatedAt: t0,
		History: []tickets.Change{{At: t0, Actor: "subscriber", Action: tickets.ActionCreated, Note: d.texts[0]}}}
	stored, _, err := ts.CreateTicket(ctx, tk, []tickets.Event{{Type: tickets.EventCreated, Ticket: tk,
		Change: tk.History[0], At: t0, Consumers: []string{"crm"}}})
	must(t, err)
	note := tickets.Change{At: t0.Add(time.Minute), Actor: "back-office", Action: tickets.ActionNote,
		Note: "回访" + national + " " + d.texts[2]}
	stored.UpdatedAt = note.At
	body, _ := json.Marshal(map[string]string{"id": stored.ID, "phone": national})
	must(t, ts.UpdateTicket(ctx, stored, []tickets.Change{note},
		[]tickets.Event{{Type: tickets.EventNote, Ticket: stored, Change: note, At: note.At, Consumers: []string{"crm"}}},
		&tickets.Idempotency{Key: "api:crm:" + d.prefix, RequestHash: "h", Status: 200, Body: body, At: note.At}))
	return stored.ID
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Forgetting a subscriber by number leaves nothing of theirs in any table,
// keeps their ticket for the figures and another subscriber whole, and is
// audited without the number.
func TestStore_ForgetSubscriber(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, s *Store) {
		me := subscriberData{phone: forgetPhone, openID: forgetOpenID, prefix: "me",
			address: "朝阳区建国路88号", idCard: "11010519491231002X", texts: []string{"我家宽带三天没网了", "光猫红灯一直闪", "客户很着急"}}
		other := subscriberData{phone: otherPhone, openID: "oWx_other_2b9c", prefix: "other",
			address: "海淀区中关村大街27号", idCard: "44030119900307123X", texts: []string{"手机信号很差", "话费扣多了", "已回电说明"}}
		myTicket := me.store(t, s)
		otherTicket := other.store(t, s)
		countsBefore := ticketFigures(t, s.DB())

		digest := channels.SubscriberFor(forgetPhone)
		f, err := s.Forget(ctx, sqldb.Subject{Phones: PhoneForms(forgetPhone), SubscriberIDs: []string{digest}},
			ForgetAudit{Actor: "ops:zhang", At: t0.Add(time.Hour), Digest: digest})
		if err != nil {
			t.Fatal(err)
		}
		if f["conversations"] != 2 || f["messages"] != 3 || f["tickets"] != 1 || f["subscribers"] != 1 ||
			f["agent_notes"] != 1 || f["sms_sends"] != 1 || f["sms_keywords"] != 1 || f["sms_optouts"] != 1 ||
			f["unanswered"] != 1 || f["visits"] != 1 || f["idempotency"] != 1 || f["ticket_events"] != 2 {
			t.Errorf("forgot %v", f)
		}

		for _, hit := range scanTables(t, s.DB(), forgetSecrets) {
			t.Errorf("left behind: %s", hit)
		}
		if after := ticketFigures(t, s.DB()); after != countsBefore {
			t.Errorf("ticket figures changed: %s, were %s", after, countsBefore)
		}
		checkAnonymisedTicket(t, s.DB(), myTicket)
		checkOtherKept(t, s, other, otherTicket)
		checkForgetAudit(t, s.DB(), digest)
	})
}

// Forgetting by WeChat OpenID finds the number the subscriber bound and
// forgets it too.
func TestStore_ForgetByOpenID(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, s *Store) {
		me := subscriberData{phone: forgetPhone, openID: forgetOpenID, prefix: "me",
			address: "朝阳区建国路88号", idCard: "11010519491231002X", texts: []string{"我家宽带三天没网了", "光猫红灯一直闪", "客户很着急"}}
		me.store(t, s)
		f, err := s.Forget(ctx, sqldb.Subject{Addresses: []sqldb.Address{{Channel: "wechat", Address: forgetOpenID}}},
			ForgetAudit{Actor: "ops", At: t0, Digest: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if f["conversations"] != 2 || f["subscribers"] != 1 {
			t.Errorf("forgot %v, want both conversations and the binding", f)
		}
		for _, hit := range scanTables(t, s.DB(), forgetSecrets) {
			t.Errorf("left behind: %s", hit)
		}
	})
}

// Forgetting someone the store does not know touches nothing but the
// audit log.
func TestStore_ForgetUnknown(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		f, err := s.Forget(context.Background(), sqldb.Subject{Phones: []string{"+8613000000000"}},
			ForgetAudit{Actor: "ops", At: t0, Digest: "sub_0"})
		if err != nil || f.Total() != 0 {
			t.Fatalf("Forget = %v, %v; want nothing", f, err)
		}
		checkForgetAudit(t, s.DB(), "sub_0")
	})
}

// ticketFigures are the counts the reports take from tickets.
func ticketFigures(t *testing.T, db *sqldb.DB) string {
	t.Helper()
	rows, err := db.Reader().Query(`SELECT kind, status, COUNT(*), MIN(created_at) FROM tickets
		GROUP BY kind, status ORDER BY kind, status`)
	must(t, err)
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var kind, status string
		var n, first int64
		must(t, rows.Scan(&kind, &status, &n, &first))
		fmt.Fprintf(&b, "%s/%s=%d@%d ", kind, status, n, first)
	}
	open, err := sqldb.NewTickets(db).CountOpenTickets(context.Background())
	must(t, err)
	fmt.Fprintf(&b, "open=%v", open)
	return b.String()
}

func checkAnonymisedTicket(t *testing.T, db *sqldb.DB, id string) {
	t.Helper()
	ts := sqldb.NewTickets(db)
	defer ts.Close()
	tk, err := ts.Ticket(context.Background(), id)
	must(t, err)
	if tk.Phone != "" || len(tk.Details) != 0 || tk.Summary != "" || tk.Owner.Address != "" ||
		tk.Owner.SubscriberID != "" || tk.ConversationID != "" {
		t.Errorf("ticket not anonymised: %+v", tk)
	}
	if tk.Kind != tickets.KindFault || tk.Status != tickets.StatusNew || !tk.CreatedAt.Equal(t0) ||
		tk.Area != "chaoyang" || tk.Owner.Channel != "wechat" {
		t.Errorf("ticket lost what the figures need: %+v", tk)
	}
	events, err := ts.PendingEvents(context.Background(), "crm", 10)
	must(t, err)
	n := 0
	for _, e := range events {
		if e.Ticket.ID == id {
			n++
			if e.Ticket.Phone != "" || e.Change.Note != "" {
				t.Errorf("event %d keeps personal data: %+v", e.Seq, e)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d events of the ticket still wait for the CRM, want 2", n)
	}
}

func checkOtherKept(t *testing.T, s *Store, other subscriberData, ticketID string) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Conversation(ctx, other.prefix+"-sms"); err != nil {
		t.Errorf("the other subscriber's conversation: %v", err)
	}
	if ms, _ := s.MessagesAfter(ctx, other.prefix+"-sms", 0, 10); len(ms) != 2 {
		t.Errorf("the other subscriber has %d messages, want 2", len(ms))
	}
	if p, ok, _ := sqldb.NewSubscribers(s.DB()).PhoneOf(ctx, channels.SubscriberFor(other.phone)); !ok || p != other.phone {
		t.Errorf("the other subscriber's binding is gone")
	}
	ts := sqldb.NewTickets(s.DB())
	defer ts.Close()
	tk, err := ts.Ticket(ctx, ticketID)
	if err != nil || tk.Phone != strings.TrimPrefix(other.phone, "+86") || tk.Details["symptom"] != other.texts[0] {
		t.Errorf("the other subscriber's ticket changed: %+v, %v", tk, err)
	}
	if hits := scanTables(t, s.DB(), other.texts); len(hits) < len(other.texts) {
		t.Errorf("the other subscriber's texts are missing: found only %v", hits)
	}
}

func checkForgetAudit(t *testing.T, db *sqldb.DB, digest string) {
	t.Helper()
	es, err := sqldb.NewAuditLog(db).AuditEntries(context.Background(), handoff.AuditQuery{})
	must(t, err)
	i := slices.IndexFunc(es, func(e handoff.AuditEntry) bool { return e.Action == "forget" })
	if i < 0 || !strings.Contains(es[i].Detail, digest) || es[i].Actor == "" {
		t.Fatalf("no audit entry of the forget with the digest: %+v", es)
	}
	if strings.Contains(es[i].Detail, "13812345678") || strings.Contains(es[i].Detail, forgetOpenID) {
		t.Errorf("the audit entry names the subject: %q", es[i].Detail)
	}
}

// scanTables returns "table: value" for each secret found in any column
// of any table.
func scanTables(t *testing.T, db *sqldb.DB, secrets []string) []string {
	t.Helper()
	var hits []string
	for _, table := range tableNames(t, db) {
		rows, err := db.Reader().Query("SELECT * FROM " + table)
		must(t, err)
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			must(t, rows.Scan(ptrs...))
			for i, v := range vals {
				text := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					text = string(b)
				}
				for _, s := range secrets {
					if strings.Contains(text, s) {
						hits = append(hits, fmt.Sprintf("%s.%s holds %q", table, cols[i], s))
					}
				}
			}
		}
		must(t, rows.Err())
		rows.Close()
	}
	return hits
}

func tableNames(t *testing.T, db *sqldb.DB) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if db.Dialect() == sqldb.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	rows, err := db.Reader().Query(q)
	must(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		must(t, rows.Scan(&n))
		out = append(out, n)
	}
	if len(out) < 15 {
		t.Fatalf("found only tables %v", out)
	}
	return out
}

// Retention deletes the old rows of every table that keeps transcripts or
// what hangs off them, not only messages; visits stay for the figures,
// and tickets and bindings have lives of their own.
func TestStore_RetentionDeletesEveryTable(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, s *Store) {
		me := subscriberData{phone: forgetPhone, openID: forgetOpenID, prefix: "me",
			address: "朝阳区建国路88号", idCard: "11010519491231002X",
			texts: []string{"我家宽带三天没网了", "光猫红灯一直闪", "客户很着急"}}
		me.store(t, s)
		if _, err := s.DeleteBefore(ctx, t0.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		for table, want := range map[string]int{"conversations": 0, "messages": 0, "unanswered": 0,
			"agent_notes": 0, "sms_sends": 0, "sms_keywords": 0, "idempotency": 0,
			"visits": 1, "tickets": 1, "subscribers": 1} {
			var n int
			must(t, s.DB().Reader().QueryRow("SELECT COUNT(*) FROM "+table).Scan(&n))
			if n != want {
				t.Errorf("%s keeps %d rows after retention, want %d", table, n, want)
			}
		}
	})
}
