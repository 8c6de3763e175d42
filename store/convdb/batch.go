package convdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"hotline/dialog"
	"hotline/store/sqldb"
)

// commitBatcher commits the changes that concurrent conversations make on
// PostgreSQL together: each of its workers takes one change, gathers those
// already waiting, and stores them all in one statement inside one
// transaction. A message then costs the server a share of one statement's
// parse, plan and round trip instead of four statements of its own, which
// is where its time went. A change whose conversation moved on since it
// was read, or whose message repeats a provider id, is refused with
// dialog.ErrConflict and the rest of the batch is stored without it; a
// batch that fails for another reason is stored one change at a time, so
// one bad change never fails the others.
type commitBatcher struct {
	db      *sqldb.DB
	timeout time.Duration // bounds one try, from taking a connection to the commit
	reqs    chan *commitReq
	closing chan struct{}
	done    sync.WaitGroup
}

// commitReq is one change waiting for its batch.
type commitReq struct {
	ctx  context.Context
	c    dialog.Change
	err  error
	done chan struct{}
}

// Batch limits.
const (
	maxCommitBatch = 64
	commitBatchers = 1
	// commitTryTimeout bounds one try, so a stalled server or a row
	// locked elsewhere fails the batch (its callers learn nothing was
	// stored) instead of holding every later commit behind it.
	commitTryTimeout = 30 * time.Second
)

func newCommitBatcher(db *sqldb.DB) *commitBatcher {
	b := &commitBatcher{db: db, timeout: commitTryTimeout, reqs: make(chan *commitReq),
		closing: make(chan struct{})}
	for range commitBatchers {
		b.done.Go(b.run)
	}
	return b
}

// commit queues a change and waits for its batch. Once the change was
// taken, its outcome is awaited even if ctx ends, so a nil error always
// means it is stored.
func (b *commitBatcher) commit(ctx context.Context, c dialog.Change) error {
	req := &commitReq{ctx: ctx, c: c, done: make(chan struct{})}
	select {
	case b.reqs <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-b.closing:
		return sqldb.ErrClosed
	}
	<-req.done
	return req.err
}

// stop ends the workers after their current batches.
func (b *commitBatcher) stop() {
	close(b.closing)
	b.done.Wait()
}

func (b *commitBatcher) run() {
	sqldb.Gather(b.reqs, b.closing, maxCommitBatch, b.store)
}

// store commits a batch and wakes its callers. Two changes of one
// conversation go in separate rounds: one statement cannot update a row
// twice.
func (b *commitBatcher) store(batch []*commitReq) {
	for len(batch) > 0 {
		round, later := splitByConversation(batch)
		b.storeRound(round)
		for _, r := range round {
			close(r.done)
		}
		batch = later
	}
}

// splitByConversation returns the first change of each conversation, and
// the rest in their order.
func splitByConversation(batch []*commitReq) (round, later []*commitReq) {
	seen := make(map[string]bool, len(batch))
	for _, r := range batch {
		if seen[r.c.Conversation.ID] {
			later = append(later, r)
			continue
		}
		seen[r.c.Conversation.ID] = true
		round = append(round, r)
	}
	return round, later
}

// storeRound stores the round's live changes. Each try stores every change
// that does not conflict, or nothing: when some conflict, the transaction
// is rolled back and tried again without them.
func (b *commitBatcher) storeRound(round []*commitReq) {
	live := round[:0:0]
	for _, r := range round {
		if r.err = r.ctx.Err(); r.err == nil {
			live = append(live, r)
		}
	}
	for len(live) > 0 {
		conflicts, err := b.try(context.Background(), live)
		if err != nil {
			for _, r := range live {
				r.err = b.alone(r)
			}
			return
		}
		if len(conflicts) == 0 {
			return
		}
		live = dropConflicts(live, conflicts)
	}
}

// dropConflicts marks the conflicting changes and returns the others.
func dropConflicts(live []*commitReq, conflicts map[*commitReq]bool) []*commitReq {
	rest := live[:0:0]
	for _, r := range live {
		if conflicts[r] {
			r.err = fmt.Errorf("commit conversation %s: %w", r.c.Conversation.ID, dialog.ErrConflict)
			continue
		}
		rest = append(rest, r)
	}
	return rest
}

// alone stores one change in a batch of its own, after its batch failed
// for a reason other than a conflict.
func (b *commitBatcher) alone(r *commitReq) error {
	conflicts, err := b.try(r.ctx, []*commitReq{r})
	if err != nil {
		return err
	}
	if len(conflicts) > 0 {
		return fmt.Errorf("commit conversation %s: %w", r.c.Conversation.ID, dialog.ErrConflict)
	}
	return nil
}

// errConflicts rolls a try back when some of its changes conflict.
var errConflicts = errors.New("some changes conflict")

// try runs the batch statement in a transaction and commits it when no
// change conflicts; otherwise it rolls back and returns the conflicting
// changes.
func (b *commitBatcher) try(ctx context.Context, live []*commitReq) (map[*commitReq]bool, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	args, err := batchArgs(live)
	if err != nil {
		return nil, err
	}
	var conflicts map[*commitReq]bool
	err = b.db.WriteAlone(ctx, func(ctx context.Context, tx *sql.Tx) error {
		stored, err := runBatch(ctx, tx, args)
		if err != nil {
			return err
		}
		if conflicts = conflicting(live, stored); len(conflicts) > 0 {
			return errConflicts
		}
		return nil
	})
	if errors.Is(err, errConflicts) {
		return conflicts, nil
	}
	return nil, err
}

// storedCounts says, per conversation id, whether its record was written
// and how many of its messages were.
type storedCounts struct {
	records  map[string]bool
	messages map[string]int
}

// conflicting returns the changes whose record or messages were not all
// written.
func conflicting(live []*commitReq, s storedCounts) map[*commitReq]bool {
	out := map[*commitReq]bool{}
	for _, r := range live {
		id := r.c.Conversation.ID
		if !s.records[id] || s.messages[id] != len(r.c.Messages) {
			out[r] = true
		}
	}
	return out
}

// runBatch runs sqlCommitBatchPG and reads what it wrote.
func runBatch(ctx context.Context, tx *sql.Tx, args []any) (storedCounts, error) {
	s := storedCounts{records: map[string]bool{}, messages: map[string]int{}}
	rows, err := tx.QueryContext(ctx, sqlCommitBatchPG, args...)
	if err != nil {
		return s, fmt.Errorf("commit conversations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, id string
		if err := rows.Scan(&kind, &id); err != nil {
			return s, fmt.Errorf("commit conversations: %w", err)
		}
		if kind == "c" {
			s.records[id] = true
		} else {
			s.messages[id]++
		}
	}
	if err := rows.Err(); err != nil {
		return s, fmt.Errorf("commit conversations: %w", err)
	}
	return s, nil
}

// sqlCommitBatchPG writes many conversations' changes in one statement.
// Every part comes as parallel arrays: records to update (checked against
// the version they were read at), records to insert, messages, unanswered
// questions and visit changes. Messages, questions and visits are written
// only for conversations whose record was written; a message whose id,
// sequence or provider id is taken is skipped. It returns a row per
// record written ('c') and per message written ('m'), each with its
// conversation id, from which the caller tells the conflicts.
const sqlCommitBatchPG = `WITH u AS (
	UPDATE conversations c SET subscriber_id = x.subscriber_id, state = x.state, lang = x.lang,
		misses = x.misses, slots = x.slots, last_seq = x.last_seq, version = c.version + 1,
		active_at = x.active_at
	FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[],
		$7::text[], $8::bigint[], $9::bigint[])
		AS x(id, version, subscriber_id, state, lang, misses, slots, last_seq, active_at)
	WHERE c.id = x.id AND c.version = x.version
	RETURNING c.id
), i AS (
	INSERT INTO conversations (` + convColumns + `)
	SELECT id, channel, address, subscriber_id, state, lang, misses, slots, last_seq, 1,
		created_at, active_at
	FROM unnest($10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
		$16::bigint[], $17::text[], $18::bigint[], $19::bigint[], $20::bigint[])
		AS n(id, channel, address, subscriber_id, state, lang, misses, slots, last_seq,
		created_at, active_at)
	ON CONFLICT DO NOTHING
	RETURNING id
), ok AS (
	SELECT id FROM u UNION ALL SELECT id FROM i
), m AS (
	INSERT INTO messages (` + msgColumns + `)
	SELECT y.id, y.conversation_id, y.seq, y.direction, y.sender, y.body, y.provider_id,
		y.reply_to, y.created_at, y.delivery, y.attempts
	FROM unnest($21::text[], $22::text[], $23::bigint[], $24::text[], $25::text[], $26::text[],
		$27::text[], $28::text[], $29::bigint[], $30::text[], $31::bigint[])
		WITH ORDINALITY AS y(id, conversation_id, seq, direction, sender, body, provider_id,
		reply_to, created_at, delivery, attempts, n)
	JOIN ok ON ok.id = y.conversation_id
	ORDER BY y.n
	ON CONFLICT DO NOTHING
	RETURNING conversation_id
), q AS (
	INSERT INTO unanswered (conversation_id, message_id, text, best_entry, best_score,
		suggested, at)
	SELECT z.conversation_id, z.message_id, z.text, z.best_entry, z.best_score, z.suggested, z.at
	FROM unnest($32::text[], $33::text[], $34::text[], $35::text[], $36::float8[],
		$37::bigint[], $38::bigint[]) WITH ORDINALITY
		AS z(conversation_id, message_id, text, best_entry, best_score, suggested, at, n)
	JOIN ok ON ok.id = z.conversation_id
	ORDER BY z.n
), v AS (
	INSERT INTO visits (id, conversation_id, channel, started_at, answered, unanswered, tickets,
		handoff_at, agent_id, first_reply_at, rating, rated_agent, ended_at)
	SELECT w.id, w.conversation_id, w.channel, w.started_at, w.answered, w.unanswered,
		w.tickets, w.handoff_at, w.agent_id, w.first_reply_at, w.rating, w.rated_agent,
		w.ended_at
	FROM unnest($39::text[], $40::text[], $41::text[], $42::bigint[], $43::bigint[],
		$44::bigint[], $45::bigint[], $46::bigint[], $47::text[], $48::bigint[], $49::bigint[],
		$50::text[], $51::bigint[])
		AS w(id, conversation_id, channel, started_at, answered, unanswered, tickets,
		handoff_at, agent_id, first_reply_at, rating, rated_agent, ended_at)
	JOIN ok ON ok.id = w.conversation_id
	` + visitUpsert + `
)
SELECT 'c', id FROM ok UNION ALL SELECT 'm', conversation_id FROM m`

// batchArgs turns the changes into the arguments of sqlCommitBatchPG.
func batchArgs(live []*commitReq) ([]any, error) {
	var up updateColumns
	var in insertColumns
	var ms messageColumns
	var qs unansweredColumns
	var vs visitColumns
	for _, r := range live {
		c := r.c
		slots, err := slotsJSON(c.Conversation)
		if err != nil {
			return nil, err
		}
		if c.Conversation.Version == 0 {
			in.add(c.Conversation, slots)
		} else {
			up.add(c.Conversation, slots)
		}
		for _, m := range c.Messages {
			if err := ms.add(m); err != nil {
				return nil, err
			}
		}
		for _, u := range c.Unanswered {
			qs.add(u)
		}
		if c.Visit != nil {
			vs.add(*c.Visit)
		}
	}
	args := up.args()
	args = append(args, in.args()...)
	args = append(args, ms.args()...)
	args = append(args, qs.args()...)
	return append(args, vs.args()...), nil
}

// slotsJSON is a record's slots as stored.
func slotsJSON(c dialog.Conversation) (string, error) {
	if c.Slots == nil {
		return "{}", nil
	}
	b, err := json.Marshal(c.Slots)
	if err != nil {
		return "", fmt.Errorf("encode slots: %w", err)
	}
	return string(b), nil
}
