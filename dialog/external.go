package dialog

import (
	"context"
	"errors"
	"fmt"

	"hotline/channels"
)

// fromOutside runs act on the conversation of a channel address for
// something that did not come from the subscriber: a ticket notice, an
// agent's action. It is queued behind the conversation's messages like
// one of them. key makes it idempotent: act's first message carries it as
// its provider id, and when the transcript already has a message with it,
// act is not run again. act returns that message, or nil when it had
// nothing to say (and then nothing is stored).
func (e *Engine) fromOutside(ctx context.Context, channel, address, key string,
	act func(t *turn) (*Message, error)) error {
	ck := convKey(channel, address)
	res := make(chan error, 1)
	err := e.serial.do(ctx, ck, func() {
		jctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), jobTimeout)
		defer cancel()
		err := e.runOutside(jctx, channel, address, key, act, false)
		if errors.Is(err, ErrConflict) {
			e.cache.Drop(jctx, ck)
			err = e.runOutside(jctx, channel, address, key, act, true)
		}
		res <- err
	})
	if err != nil {
		return err
	}
	return <-res
}

func (e *Engine) runOutside(ctx context.Context, channel, address, key string,
	act func(t *turn) (*Message, error), fresh bool) error {
	now := e.clock.Now()
	var conv Conversation
	cached := false
	if !fresh {
		conv, cached = e.cache.Get(ctx, convKey(channel, address))
	}
	if !cached {
		var err error
		if conv, err = e.conversationFor(ctx, channels.Inbound{Channel: channel, Address: address}, now); err != nil {
			return err
		}
	}
	// A cached record skips the look-up of the key: the store's unique
	// provider id refuses a repeat at commit, and fromOutside then runs
	// act again from the store, where the look-up finds it.
	if !cached && conv.Version > 0 {
		_, err := e.store.FindInbound(ctx, conv.ID, key)
		if err == nil {
			return nil // done before
		}
		if !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("check %s: %w", key, err)
		}
	}

	t := newTurn(ctx, e.texts, conv, now)
	m, err := act(t)
	if err != nil || m == nil {
		return err
	}
	m.ProviderID = key
	return e.commit(ctx, t)
}

// Forward posts a copy of a message into the conversation of another
// channel address, such as a ticket notice WeChat could not deliver, sent
// again by SMS to the number the follower bound. key makes it idempotent:
// forwarding the same message again sends nothing twice.
func (e *Engine) Forward(ctx context.Context, channel, address, key string, m Message) error {
	err := e.fromOutside(ctx, channel, address, key, func(t *turn) (*Message, error) {
		return t.reply(m.From, m.Text, m.QuickReplies), nil
	})
	if err != nil {
		return fmt.Errorf("forward: %w", err)
	}
	return nil
}
