package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"

	"hotline/tickets"
)

// ticketBatcher creates the tickets that concurrent callers open on
// PostgreSQL together: each of its workers takes one creation, gathers
// those already waiting, and stores them all, with their history, events
// and outbox rows, in one statement inside one transaction. The server
// then parses, plans and commits once per batch instead of once per
// ticket, which is where its time went. A batch that fails is retried one
// creation at a time, so one bad ticket never fails the others.
type ticketBatcher struct {
	store   *Tickets
	reqs    chan *createReq
	closing chan struct{}
	done    sync.WaitGroup
}

// createReq is one ticket creation waiting for its batch.
type createReq struct {
	ctx     context.Context
	t       tickets.Ticket
	details string
	rows    []eventRow

	existing *tickets.Ticket // set when the source key was taken
	err      error
	done     chan struct{}
}

// Batch limits.
const (
	maxTicketBatch = 64
	ticketBatchers = 2
)

func newTicketBatcher(s *Tickets) *ticketBatcher {
	b := &ticketBatcher{store: s, reqs: make(chan *createReq), closing: make(chan struct{})}
	for range ticketBatchers {
		b.done.Go(b.run)
	}
	return b
}

// create queues a creation and waits for its batch. Once the creation was
// taken, its outcome is awaited even if ctx ends, so a nil error always
// means the ticket is stored.
func (b *ticketBatcher) create(req *createReq) {
	req.done = make(chan struct{})
	select {
	case b.reqs <- req:
	case <-req.ctx.Done():
		req.err = req.ctx.Err()
		return
	case <-b.closing:
		req.err = ErrClosed
		return
	}
	<-req.done
}

// stop ends the workers after their current batches.
func (b *ticketBatcher) stop() {
	close(b.closing)
	b.done.Wait()
}

func (b *ticketBatcher) run() {
	Gather(b.reqs, b.closing, maxTicketBatch, b.commit)
}

// commit stores a batch, or each of its creations alone when the batch
// as a whole fails, and wakes the callers.
func (b *ticketBatcher) commit(batch []*createReq) {
	live := batch[:0:0]
	for _, r := range batch {
		if r.err = r.ctx.Err(); r.err == nil {
			live = append(live, r)
		}
	}
	if len(live) > 0 {
		if err := b.store.createBatch(context.Background(), live); err != nil {
			for _, r := range live {
				r.err = b.store.createBatch(r.ctx, []*createReq{r})
			}
		}
	}
	for _, r := range batch {
		close(r.done)
	}
}

// createBatch stores the creations in one transaction. Those whose
// source key was taken get the ticket that holds it.
func (s *Tickets) createBatch(ctx context.Context, batch []*createReq) error {
	args, err := batchArgs(batch)
	if err != nil {
		return err
	}
	// The batch is a group already: it takes its own transaction from the
	// pool instead of queueing behind the writer's groups.
	return writeTx(ctx, s.db.writer, func(ctx context.Context, tx *sql.Tx) error {
		inserted, err := insertBatch(ctx, tx, args)
		if err != nil {
			return err
		}
		for _, r := range batch {
			r.existing = nil
			if inserted[r.t.ID] {
				continue
			}
			found, err := s.ticketBySourceKey(ctx, tx, r.t.SourceKey)
			if err != nil {
				return err
			}
			r.existing = &found
		}
		return nil
	})
}

// sqlCreateTicketsPG stores many tickets with their history, events and
// outbox rows in one statement. Every part comes as parallel arrays; the
// history, events and consumers name their ticket, and only the tickets
// actually inserted (not those whose source key was taken) get them. The
// history and events are numbered so their ids follow the given order.
var sqlCreateTicketsPG = `WITH t AS (
	INSERT INTO tickets (` + ticketColumns + `)
	SELECT * FROM unnest(` + ticketArrayParams() + `)
	ON CONFLICT (source_key) WHERE source_key <> '' DO NOTHING
	RETURNING id
), h AS (
	INSERT INTO ticket_history (ticket_id, at, actor, action, from_value, to_value, note)
	SELECT c.ticket_id, c.at, c.actor, c.action, c.from_value, c.to_value, c.note
	FROM unnest($30::text[], $31::bigint[], $32::text[], $33::text[], $34::text[], $35::text[],
		$36::text[]) WITH ORDINALITY AS c(ticket_id, at, actor, action, from_value, to_value, note, n)
	JOIN t ON t.id = c.ticket_id
	ORDER BY c.n
), e AS (
	INSERT INTO ticket_events (ticket_id, type, payload, at)
	SELECT v.ticket_id, v.type, v.payload, v.at
	FROM unnest($37::text[], $38::text[], $39::text[], $40::bigint[])
		WITH ORDINALITY AS v(ticket_id, type, payload, at, n)
	JOIN t ON t.id = v.ticket_id
	ORDER BY v.n
	RETURNING seq, ticket_id
), o AS (
	INSERT INTO ticket_outbox (consumer, seq)
	SELECT c.consumer, e.seq
	FROM e JOIN unnest($41::text[], $42::text[]) AS c(ticket_id, consumer) ON c.ticket_id = e.ticket_id
)
SELECT id FROM t`

// ticketTextColumns says which of ticketColumns are text; the others are
// bigint.
var ticketTextColumns = [29]bool{
	true, true, true, true, false, true, true, true, true, true,
	true, true, true, true, true, true, true, true, true, false,
	true, false, false, false, false, false, false, false, false,
}

// ticketArrayParams is "$1::text[], $2::text[], …" for ticketColumns.
func ticketArrayParams() string {
	parts := make([]string, len(ticketTextColumns))
	for i, text := range ticketTextColumns {
		typ := "bigint[]"
		if text {
			typ = "text[]"
		}
		parts[i] = fmt.Sprintf("$%d::%s", i+1, typ)
	}
	return strings.Join(parts, ", ")
}

// batchArgs turns the creations into the arguments of
// sqlCreateTicketsPG: the ticket columns, then the history, event and
// consumer arrays, each entry naming its ticket. Every creation must have
// passed fitsBatch.
func batchArgs(batch []*createReq) ([]any, error) {
	cols := newTicketArrays(len(batch))
	var h historyColumns
	var ev eventColumns
	consumerTicket, consumer := []string{}, []string{}
	for _, r := range batch {
		if err := cols.add(ticketArgs(r.t, r.details)); err != nil {
			return nil, err
		}
		h.add(r.t.ID, r.t.History)
		ev.add(r.rows)
		if len(r.rows) > 0 {
			for _, c := range r.rows[0].consumers {
				consumerTicket, consumer = append(consumerTicket, r.t.ID), append(consumer, c)
			}
		}
	}

	args := cols.args()
	args = append(args, h.ticket, h.at, h.actor, h.action, h.from, h.to, h.note)
	args = append(args, ev.ticket, ev.typ, ev.payload, ev.at)
	return append(args, consumerTicket, consumer), nil
}

// historyColumns gathers history entries column by column.
type historyColumns struct {
	ticket, actor, action, from, to, note []string
	at                                    []int64
}

func (h *historyColumns) add(ticketID string, changes []tickets.Change) {
	for _, c := range changes {
		h.ticket, h.at = append(h.ticket, ticketID), append(h.at, c.At.UnixNano())
		h.actor, h.action = append(h.actor, c.Actor), append(h.action, c.Action)
		h.from, h.to, h.note = append(h.from, c.From), append(h.to, c.To), append(h.note, c.Note)
	}
}

// eventColumns gathers events column by column.
type eventColumns struct {
	ticket, typ, payload []string
	at                   []int64
}

func (ev *eventColumns) add(rows []eventRow) {
	for _, e := range rows {
		ev.ticket, ev.typ = append(ev.ticket, e.ticketID), append(ev.typ, e.typ)
		ev.payload, ev.at = append(ev.payload, e.payload), append(ev.at, e.at.(int64))
	}
}

// ticketArrays gathers ticket rows column by column.
type ticketArrays struct {
	text [29][]string
	num  [29][]*int64
}

func newTicketArrays(n int) *ticketArrays {
	a := &ticketArrays{}
	for i, text := range ticketTextColumns {
		if text {
			a.text[i] = make([]string, 0, n)
		} else {
			a.num[i] = make([]*int64, 0, n)
		}
	}
	return a
}

// add appends one row of ticketArgs.
func (a *ticketArrays) add(row []any) error {
	if len(row) != len(ticketTextColumns) {
		return fmt.Errorf("ticket row has %d values, want %d", len(row), len(ticketTextColumns))
	}
	for i, v := range row {
		if ticketTextColumns[i] {
			s, ok := v.(string)
			if !ok {
				return fmt.Errorf("ticket column %d: want text, got %T", i+1, v)
			}
			a.text[i] = append(a.text[i], s)
			continue
		}
		switch n := v.(type) {
		case nil:
			a.num[i] = append(a.num[i], nil)
		case int64:
			a.num[i] = append(a.num[i], &n)
		default:
			return fmt.Errorf("ticket column %d: want a number, got %T", i+1, v)
		}
	}
	return nil
}

// args returns the arrays in column order.
func (a *ticketArrays) args() []any {
	out := make([]any, len(ticketTextColumns))
	for i, text := range ticketTextColumns {
		if text {
			out[i] = a.text[i]
		} else {
			out[i] = a.num[i]
		}
	}
	return out
}

// insertBatch runs sqlCreateTicketsPG and returns the ids it inserted.
func insertBatch(ctx context.Context, tx *sql.Tx, args []any) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, sqlCreateTicketsPG, args...)
	if err != nil {
		return nil, conflictOr(err, "insert tickets")
	}
	defer rows.Close()
	inserted := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		inserted[id] = true
	}
	return inserted, rows.Err()
}

// fitsBatch reports whether a creation can go in the batch statement: not
// when an event is of another ticket, when its events have different
// consumers, or when a time is zero, which the arrays cannot carry as the
// NULL the separate inserts would refuse.
func fitsBatch(t tickets.Ticket, rows []eventRow) bool {
	for _, c := range t.History {
		if c.At.IsZero() {
			return false
		}
	}
	for _, e := range rows {
		if _, ok := e.at.(int64); !ok || e.ticketID != t.ID || !slices.Equal(e.consumers, rows[0].consumers) {
			return false
		}
	}
	return true
}
