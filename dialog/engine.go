package dialog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"hotline/channels"
)

// Notifier is told about outbound messages once they are committed. The
// outbox implements it.
type Notifier interface {
	Notify(conv Conversation, msgs []Message)
}

// Watcher hears about every committed step of a conversation, the
// subscriber's messages included, so the agent console can show a
// conversation live. Committed is called on the conversation's own
// goroutine and must not block.
type Watcher interface {
	Committed(conv Conversation, msgs []Message)
}

// Engine runs the dialog of every conversation. It implements
// channels.Receiver.
type Engine struct {
	store  Store
	know   *Knowledge
	texts  *Texts
	clock  Clock
	log    *slog.Logger
	notify Notifier
	watch  Watcher
	groups map[string]string
	serial *serializer
	cache  RecordCache
	desk   TicketDesk
	agents AgentDesk
	loc    *time.Location
	phones PhoneBinder
	brief  map[string]bool
	flood  int // answers per minute to one conversation; 0: no limit
}

// EngineConfig is what an Engine needs.
type EngineConfig struct {
	// Store keeps conversations and transcripts.
	Store Store
	// Knowledge answers questions and routes intents.
	Knowledge *Knowledge
	// Texts are the bot's own messages.
	Texts *Texts
	// Clock tells the time; nil means the system clock.
	Clock Clock
	// Log receives the engine's logs; they carry ids, never message text.
	Log *slog.Logger
	// Notifier hears about committed outbound messages.
	Notifier Notifier
	// Watcher, when set, hears about every committed message.
	Watcher Watcher
	// CacheSize is how many conversation records are kept in memory when
	// Records is nil; 0 turns the cache off.
	CacheSize int
	// Records, when set, caches conversation records instead of the
	// engine's own memory: a cache that several instances share.
	Records RecordCache
	// Tickets opens, finds and rates tickets; nil leaves the bot to point
	// subscribers to the hotline instead.
	Tickets TicketDesk
	// Agents is the agent desk a request for a person goes to; nil offers
	// a call back instead.
	Agents AgentDesk
	// AgentGroups picks the skill group of a request for a person: keys
	// are form names, then services (mobile, broadband, tv, landline),
	// then reasons (complaint, bot_misses, form_failed, asked); values are
	// group names. A request no key matches goes to any agent.
	AgentGroups map[string]string
	// Location is the operator's time zone for times told to
	// subscribers; nil means UTC.
	Location *time.Location
	// Brief names the channels whose messages are paid by length (SMS):
	// the bot keeps its answers there as short as it can.
	Brief map[string]bool
	// Phones binds a subscriber's phone number to their conversation by a
	// one-time code; nil turns binding off.
	Phones PhoneBinder
	// AnswersPerMinute is how many of one conversation's messages in a
	// minute the bot answers; past it the messages are kept but not
	// answered, and the subscriber is told once. 0 means no limit.
	AnswersPerMinute int
}

var _ channels.Receiver = (*Engine)(nil)

// jobTimeout bounds the work of one message, including its commit.
const jobTimeout = 15 * time.Second

// NewEngine builds an engine.
func NewEngine(c EngineConfig) *Engine {
	if c.Clock == nil {
		c.Clock = SystemClock{}
	}
	if c.Location == nil {
		c.Location = time.UTC
	}
	var cache RecordCache = newConvCache(c.CacheSize)
	if c.Records != nil {
		cache = c.Records
	}
	return &Engine{
		store:  c.Store,
		know:   c.Knowledge,
		texts:  c.Texts,
		clock:  c.Clock,
		log:    c.Log,
		notify: c.Notifier,
		watch:  c.Watcher,
		groups: c.AgentGroups,
		serial: newSerializer(),
		cache:  cache,
		desk:   c.Tickets,
		agents: c.Agents,
		loc:    c.Location,
		phones: c.Phones,
		brief:  c.Brief,
		flood:  c.AnswersPerMinute,
	}
}

type outcome struct {
	receipt channels.Receipt
	err     error
}

// Receive stores and processes one inbound message. Messages of the same
// channel address are processed one at a time in the order Receive was
// called. A message whose ProviderID was seen before is acknowledged as a
// duplicate and not processed again. An error means nothing was stored.
func (e *Engine) Receive(ctx context.Context, in channels.Inbound) (channels.Receipt, error) {
	res := make(chan outcome, 1)
	err := e.serial.do(ctx, convKey(in.Channel, in.Address), func() {
		// The work finishes even if the caller stops waiting, so a message
		// that is being committed is not half done.
		jctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), jobTimeout)
		defer cancel()
		r, err := e.guard(jctx, in, false)
		if errors.Is(err, ErrConflict) {
			// The cached record was stale or the provider id is taken:
			// start again from the store, which also finds duplicates.
			e.cache.Drop(jctx, convKey(in.Channel, in.Address))
			r, err = e.guard(jctx, in, true)
		}
		res <- outcome{r, err}
	})
	if err != nil {
		return channels.Receipt{}, fmt.Errorf("receive: %w", err)
	}
	o := <-res
	return o.receipt, o.err
}

// guard turns a panic in the dialog into an error, so one bad message
// cannot take the process down. fresh reads the record from the store,
// whatever the cache holds.
func (e *Engine) guard(ctx context.Context, in channels.Inbound, fresh bool) (r channels.Receipt, err error) {
	defer func() {
		if p := recover(); p != nil {
			e.log.Error("dialog panicked; message not stored", "channel", in.Channel,
				"panic", fmt.Sprint(p))
			err = fmt.Errorf("dialog failed")
		}
	}()
	return e.handle(ctx, in, fresh)
}

// convKey identifies a conversation by its channel address, for ordering
// and caching.
func convKey(channel, address string) string { return channel + "\x00" + address }

// RecordKey is the key a RecordCache files the record of the conversation
// at a channel address under, for a tool that must drop it from outside
// the engine (a data-subject deletion, say).
func RecordKey(channel, address string) string { return convKey(channel, address) }

func (e *Engine) handle(ctx context.Context, in channels.Inbound, fresh bool) (channels.Receipt, error) {
	now := e.clock.Now()
	key := convKey(in.Channel, in.Address)
	var conv Conversation
	cached := false
	if !fresh {
		conv, cached = e.cache.Get(ctx, key)
	}
	if !cached {
		var err error
		if conv, err = e.conversationFor(ctx, in, now); err != nil {
			return channels.Receipt{}, err
		}
		// A record read from the store may have history: look for a
		// repeat. A cached record skips the read; the store's unique
		// provider id catches a repeat at commit (ErrConflict), and the
		// message is then handled again from the store.
		if dup, ok, err := e.duplicate(ctx, conv, in); err != nil || ok {
			if ok {
				e.cache.Put(ctx, key, conv) // the record as stored, for the next message
			}
			return dup, err
		}
	}
	if in.Lang == "zh" || in.Lang == "en" {
		conv.Lang = in.Lang
	}
	if in.Subscriber != "" {
		conv.SubscriberID = in.Subscriber
	}

	t := newTurn(ctx, e.texts, conv, now)
	t.receive(in)
	t.openVisit()
	if !t.flooded(e.flood) {
		if err := e.step(t); err != nil {
			return channels.Receipt{}, fmt.Errorf("step %s: %w", conv.ID, err)
		}
	}

	if err := e.commit(ctx, t); err != nil {
		return channels.Receipt{}, err
	}
	e.log.Debug("message handled", "conversation", conv.ID, "message", t.in.ID,
		"state", t.conv.State, "replies", len(t.outbound()))
	return channels.Receipt{ConversationID: conv.ID, MessageID: t.in.ID, Seq: t.in.Seq,
		Replies: len(t.outbound())}, nil
}

// conversationFor loads the address's conversation or starts a new one.
func (e *Engine) conversationFor(ctx context.Context, in channels.Inbound, now time.Time) (Conversation, error) {
	conv, err := e.store.FindConversation(ctx, in.Channel, in.Address)
	if errors.Is(err, ErrNotFound) {
		conv = Conversation{
			ID:        NewID("c_", now),
			Channel:   in.Channel,
			Address:   in.Address,
			State:     StateAnswering,
			Lang:      "zh",
			CreatedAt: now,
			ActiveAt:  now,
		}
		err = nil
	}
	if err != nil {
		return conv, fmt.Errorf("load conversation: %w", err)
	}
	return conv, nil
}

// duplicate looks the provider id up in the conversation's transcript.
func (e *Engine) duplicate(ctx context.Context, conv Conversation, in channels.Inbound) (channels.Receipt, bool, error) {
	if in.ProviderID == "" || conv.Version == 0 {
		return channels.Receipt{}, false, nil
	}
	m, err := e.store.FindInbound(ctx, conv.ID, in.ProviderID)
	if errors.Is(err, ErrNotFound) {
		return channels.Receipt{}, false, nil
	}
	if err != nil {
		return channels.Receipt{}, false, fmt.Errorf("check duplicate: %w", err)
	}
	e.log.Debug("duplicate message dropped", "conversation", conv.ID, "message", m.ID)
	return channels.Receipt{ConversationID: conv.ID, MessageID: m.ID, Seq: m.Seq, Duplicate: true},
		true, nil
}

// commit stores the turn, remembers the new record and hands the replies
// to the outbox.
func (e *Engine) commit(ctx context.Context, t *turn) error {
	if err := e.store.Commit(ctx, t.change()); err != nil {
		return fmt.Errorf("commit conversation %s: %w", t.conv.ID, err)
	}
	t.conv.Version++
	e.cache.Put(ctx, convKey(t.conv.Channel, t.conv.Address), t.conv)
	if out := t.outbound(); len(out) > 0 && e.notify != nil {
		e.notify.Notify(t.conv, out)
	}
	if e.watch != nil && len(t.messages) > 0 {
		e.watch.Committed(t.conv, t.messages)
	}
	return nil
}

// Expire closes a conversation that has been idle since before the given
// time, with a polite goodbye. It does nothing if the conversation has been
// active since or is already closed.
func (e *Engine) Expire(ctx context.Context, channel, address string, idleSince time.Time) error {
	res := make(chan error, 1)
	err := e.serial.do(ctx, convKey(channel, address), func() {
		// The sweeper reads from the store; start from the same record.
		e.cache.Drop(ctx, convKey(channel, address))
		res <- e.expire(ctx, channel, address, idleSince)
	})
	if err != nil {
		return err
	}
	return <-res
}

func (e *Engine) expire(ctx context.Context, channel, address string, idleSince time.Time) error {
	conv, err := e.store.FindConversation(ctx, channel, address)
	if err != nil {
		return fmt.Errorf("load conversation: %w", err)
	}
	if conv.State == StateClosed || conv.ActiveAt.After(idleSince) {
		return nil
	}
	if conv.State == StateWaitingAgent && !e.leftDesk(ctx, conv) {
		return nil // an agent took it meanwhile
	}

	t := newTurn(ctx, e.texts, conv, e.clock.Now())
	activeAt := conv.ActiveAt
	if _, err := fire(t, EventExpire); err != nil {
		return fmt.Errorf("expire %s: %w", conv.ID, err)
	}
	// The goodbye is not activity: keep the last activity time.
	t.conv.ActiveAt = activeAt
	t.closeVisit(activeAt)
	return e.commit(ctx, t)
}
