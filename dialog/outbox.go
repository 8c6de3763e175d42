package dialog

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"hotline/channels"
)

// Outbox delivers committed outbound messages through their channels and
// records each delivery's status. Nothing in the dialog sends directly:
// the engine commits a reply to the transcript as pending, then notifies
// the outbox. After a crash, a scan finds what is still pending and sends
// it then.
//
// Each channel has a queue and a delivery worker of its own, so a slow
// provider holds up only its own messages. A conversation stays on one
// channel, so its messages are still sent in order.
type Outbox struct {
	store    Store
	channels map[string]channels.Channel
	clock    Clock
	log      *slog.Logger

	queues    map[string]chan PendingDelivery // by channel name
	unrouted  chan PendingDelivery            // messages for unknown channels
	statuses  chan []DeliveryUpdate
	mu        sync.Mutex
	inFlight  map[string]bool
	failed    FailureHook // told of undeliverable messages; may be nil
	createdAt time.Time   // messages older than this are a previous run's
	scans     Runner      // runs the rescans; nil runs them here
}

// Runner runs a background loop, such as on one instance of several at a
// time: it calls loop with a context that ends when the loop must stop,
// and returns when ctx ends.
type Runner func(ctx context.Context, loop func(ctx context.Context))

// ScanWith has the outbox's rescans of pending messages run by run, so
// that with several instances on one database only one of them rescans
// (each delivers what it commits itself). Call it before Run.
func (o *Outbox) ScanWith(run Runner) { o.scans = run }

// Outbox tuning.
const (
	outboxQueue      = 4096            // deliveries waiting in memory, per channel
	outboxUnrouted   = outboxBatch     // messages for unknown channels waiting
	outboxBatch      = 256             // deliveries per status commit
	outboxScanEvery  = 5 * time.Second // how often pending rows are rescanned
	outboxScanGrace  = 5 * time.Second // age before a pending row is rescanned
	outboxMaxAttempt = 8               // retryable failures before giving up
	outboxSendTime   = 10 * time.Second
)

var _ Notifier = (*Outbox)(nil)

// NewOutbox builds an outbox delivering through the given channels, keyed
// by channel name.
func NewOutbox(store Store, chans []channels.Channel, clock Clock, log *slog.Logger) *Outbox {
	byName := make(map[string]channels.Channel, len(chans))
	queues := make(map[string]chan PendingDelivery, len(chans))
	for _, c := range chans {
		byName[c.Name()] = c
		queues[c.Name()] = make(chan PendingDelivery, outboxQueue)
	}
	if clock == nil {
		clock = SystemClock{}
	}
	return &Outbox{
		createdAt: clock.Now(),
		store:     store,
		channels:  byName,
		clock:     clock,
		log:       log,
		queues:    queues,
		unrouted:  make(chan PendingDelivery, outboxUnrouted),
		statuses:  make(chan []DeliveryUpdate, 64),
		inFlight:  make(map[string]bool),
	}
}

// FailureHook hears about a message that could not be delivered and will
// not be tried again, with the channel's reason (codes, never text).
type FailureHook func(conv Conversation, m Message, reason string)

// OnFailure sets who hears about undeliverable messages, such as the agent
// console; call it before Run.
func (o *Outbox) OnFailure(h FailureHook) { o.failed = h }

// Notify queues committed outbound messages for delivery on their
// channel's queue. It never blocks: when the queue is full the messages
// stay pending and the next scan delivers them.
func (o *Outbox) Notify(conv Conversation, msgs []Message) {
	queue := o.queueFor(conv.Channel)
	for _, m := range msgs {
		if !o.claim(m.ID) {
			continue
		}
		select {
		case queue <- PendingDelivery{Message: m, Conversation: conv}:
		default:
			o.release(m.ID)
		}
	}
}

// queueFor returns the queue of the named channel. Messages for a channel
// the outbox does not know go to a queue of their own, whose worker marks
// them failed.
func (o *Outbox) queueFor(channel string) chan PendingDelivery {
	if q, ok := o.queues[channel]; ok {
		return q
	}
	return o.unrouted
}

// claim marks a message as in flight; it returns false if it already is.
func (o *Outbox) claim(id string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.inFlight[id] {
		return false
	}
	o.inFlight[id] = true
	return true
}

func (o *Outbox) release(id string) {
	o.mu.Lock()
	delete(o.inFlight, id)
	o.mu.Unlock()
}

// Run delivers until ctx ends. It first delivers what a previous run left
// pending, then rescans for pending messages periodically. Statuses are
// recorded by a goroutine of their own, so sending never waits for the
// store; on the way out, the statuses of everything sent are recorded.
func (o *Outbox) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() {
		if o.scans == nil {
			o.scanLoop(ctx)
			return
		}
		o.scans(ctx, o.scanLoop)
	})
	wg.Go(o.statusLoop)
	o.runWorkers(ctx)
	close(o.statuses)
	wg.Wait()
}

// runWorkers runs one delivery worker per channel, and one for messages
// of unknown channels, until ctx ends. It returns once all have returned,
// so nothing sends statuses after that.
func (o *Outbox) runWorkers(ctx context.Context) {
	var wg sync.WaitGroup
	for _, q := range o.queues {
		wg.Go(func() { o.sendLoop(ctx, q) })
	}
	wg.Go(func() { o.sendLoop(ctx, o.unrouted) })
	wg.Wait()
}

func (o *Outbox) scanLoop(ctx context.Context) {
	// At start: what an earlier run left pending. Messages committed since
	// this outbox was made were notified by the engine; scanning them too
	// could send one again right after its first delivery was recorded.
	o.scan(ctx, o.createdAt.Add(time.Millisecond))
	Every(ctx, outboxScanEvery, func() { o.scan(ctx, o.clock.Now().Add(-outboxScanGrace)) })
}

// scan queues pending messages created before the given time.
func (o *Outbox) scan(ctx context.Context, before time.Time) {
	pending, err := o.store.PendingDeliveries(ctx, before, outboxBatch)
	if err != nil {
		if ctx.Err() == nil {
			o.log.Warn("outbox scan failed", "error", err)
		}
		return
	}
	now := o.clock.Now()
	waiting := map[string]bool{} // conversations with a message backing off
	for _, p := range pending {
		cid := p.Conversation.ID
		if waiting[cid] || now.Before(retryAt(p.Message)) {
			// Later messages of the conversation wait for the earlier one,
			// so the subscriber still reads them in order.
			waiting[cid] = true
			continue
		}
		o.Notify(p.Conversation, []Message{p.Message})
	}
}

// Retry backoff: after n failed attempts a message is tried again
// outboxBackoff·(2ⁿ−1) after it was created, each wait at most
// outboxBackoffMax, so a provider that is down is not hammered.
const (
	outboxBackoff    = outboxScanGrace
	outboxBackoffMax = 5 * time.Minute
)

// retryAt is when a pending message may be tried again.
func retryAt(m Message) time.Time {
	var wait time.Duration
	step := outboxBackoff
	for range m.Attempts {
		wait += step
		step = min(2*step, outboxBackoffMax)
	}
	return m.CreatedAt.Add(wait)
}

// sendLoop takes deliveries from one queue in batches, sends each in
// order, and hands their statuses to the status loop once per batch.
func (o *Outbox) sendLoop(ctx context.Context, queue <-chan PendingDelivery) {
	batch := make([]PendingDelivery, 0, outboxBatch)
	held := heldBack{}
	for {
		select {
		case <-ctx.Done():
			return
		case p := <-queue:
			batch = append(batch[:0], p)
		}
	drain:
		for len(batch) < outboxBatch {
			select {
			case p := <-queue:
				batch = append(batch, p)
			default:
				break drain
			}
		}
		o.deliver(ctx, batch, held)
	}
}

// heldBack keeps a conversation's order when one of its messages failed
// and waits for a retry: by conversation, the id of that message. Until
// it is delivered (or given up), the conversation's later messages are
// not sent; they stay pending and the rescans queue them after it. A
// conversation stays on one channel, so each channel's worker has its
// own.
type heldBack map[string]string

// blocks reports whether a delivery must wait for an earlier message.
func (h heldBack) blocks(p PendingDelivery) bool {
	first, ok := h[p.Conversation.ID]
	return ok && first != p.Message.ID
}

// note records what a delivery attempt means for the order.
func (h heldBack) note(p PendingDelivery, up DeliveryUpdate) {
	cid := p.Conversation.ID
	switch {
	case up.Status == DeliveryPending:
		if _, ok := h[cid]; !ok {
			h[cid] = p.Message.ID
		}
	case h[cid] == p.Message.ID:
		delete(h, cid)
	}
}

func (o *Outbox) deliver(ctx context.Context, batch []PendingDelivery, held heldBack) {
	updates := make([]DeliveryUpdate, 0, len(batch))
	for _, p := range batch {
		if held.blocks(p) {
			o.release(p.Message.ID) // still pending: a rescan queues it again
			continue
		}
		up := o.send(ctx, p)
		held.note(p, up)
		updates = append(updates, up)
	}
	if len(updates) > 0 {
		o.statuses <- updates
	}
}

// statusLoop records delivery statuses, merging whatever has queued up
// into one store write. A message stays in flight (not rescanned) until
// its status is recorded, so it is not sent twice.
func (o *Outbox) statusLoop() {
	for updates := range o.statuses {
	merge:
		for len(updates) < outboxBatch*4 {
			select {
			case more, ok := <-o.statuses:
				if !ok {
					break merge
				}
				updates = append(updates, more...)
			default:
				break merge
			}
		}
		o.record(updates)
	}
}

func (o *Outbox) record(updates []DeliveryUpdate) {
	// Recorded even while shutting down, so a message that was sent is
	// not sent again after the restart.
	ctx, cancel := context.WithTimeout(context.Background(), outboxSendTime)
	defer cancel()
	if err := o.store.MarkDeliveries(ctx, updates); err != nil {
		o.log.Warn("outbox could not record delivery statuses; they will be retried",
			"count", len(updates), "error", err)
	}
	for _, u := range updates {
		o.release(u.MessageID)
	}
}

// send makes one delivery attempt and returns its outcome.
func (o *Outbox) send(ctx context.Context, p PendingDelivery) DeliveryUpdate {
	m := p.Message
	up := DeliveryUpdate{MessageID: m.ID, Attempts: m.Attempts + 1, Channel: p.Conversation.Channel}
	ch, ok := o.channels[p.Conversation.Channel]
	if !ok {
		o.log.Error("outbox has no such channel; message failed",
			"channel", p.Conversation.Channel, "message", m.ID)
		up.Status = DeliveryFailed
		return up
	}

	sctx, cancel := context.WithTimeout(ctx, outboxSendTime)
	err := ch.Send(sctx, m.Outbound(p.Conversation))
	cancel()

	switch {
	case err == nil:
		up.Status = DeliverySent
	case errors.Is(err, channels.ErrNotConnected):
		up.Status = DeliveryHeld
	case channels.Retryable(err) && up.Attempts < outboxMaxAttempt:
		// Left pending, the message is tried again by a later rescan once
		// its backoff has passed (see retryAt). A provider's Retry-After
		// is not read.
		up.Status = DeliveryPending
		o.log.Warn("delivery failed; will retry", "channel", ch.Name(), "message", m.ID,
			"attempt", up.Attempts, "error", err)
	default:
		up.Status = DeliveryFailed
		o.log.Error("delivery failed permanently", "channel", ch.Name(), "message", m.ID,
			"attempt", up.Attempts, "error", err)
		if o.failed != nil {
			o.failed(p.Conversation, m, err.Error())
		}
	}
	return up
}
