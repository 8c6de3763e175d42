package sms

import (
	"context"
	"time"

	"hotline/channels"
)

// payloadTickets asks the dialog for the subscriber's tickets, as the
// "my tickets" menu item does.
const payloadTickets = "menu:tickets"

// statusWords are the whole messages that ask for one's tickets.
var statusWords = map[string]bool{"CX": true, "查询": true, "查询工单": true, "工单": true, "我的工单": true}

// statusQuery reports whether a message, as a whole, asks for the
// sender's tickets.
func statusQuery(text string) bool {
	return statusWords[normalizeKeyword(text)]
}

// keywordSendTime bounds the sending of a keyword's reply.
const keywordSendTime = 30 * time.Second

// keyword handles an opt-out, opt-in or help message: recorded first (an
// opt-out before anything else is sent), then answered once, however
// often the provider repeats it. An opted-out number asking for help
// gets nothing.
func (c *Channel) keyword(ctx context.Context, m Message, phone string, kw Keyword) error {
	key := m.Key
	if key == "" {
		key = "text:" + phone + ":" + m.At.UTC().Format(time.RFC3339Nano)
	}
	first, err := c.cfg.Store.Keyword(ctx, c.cfg.Name, key, phone, kw, c.cfg.Now())
	if err != nil || !first {
		return err
	}
	c.cfg.Log.Info("sms keyword", "channel", c.cfg.Name, "keyword", kw.String())

	var text string
	switch kw {
	case OptOut:
		text = c.cfg.Texts.OptOut
	case OptIn:
		text = c.cfg.Texts.OptIn
	case Help:
		if out, err := c.cfg.Store.OptedOut(ctx, phone); err != nil || out {
			return err
		}
		text = c.cfg.Texts.Help
	}
	go c.sendKeywordReply(phone, text, kw)
	return nil
}

// keywordRetries are the waits before each further attempt at a
// keyword's reply after a retryable failure.
func keywordRetries() []time.Duration { return []time.Duration{2 * time.Second, 10 * time.Second} }

// sendKeywordReply sends a keyword's reply straight through the provider:
// it is the channel's own compliance message, outside any conversation
// and its transcript. A retryable failure is tried again twice within
// seconds; the reply lives in memory only, so a restart meanwhile loses
// it (the opt-out itself is already stored and stands).
func (c *Channel) sendKeywordReply(phone, text string, kw Keyword) {
	for attempt := 0; ; attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), keywordSendTime)
		_, err := c.submit(ctx, phone, text)
		cancel()
		if err == nil {
			return
		}
		if !channels.Retryable(err) || attempt >= len(c.retries) {
			c.cfg.Log.Warn("sms keyword reply not sent", "channel", c.cfg.Name, "keyword", kw.String(), "error", err)
			return
		}
		time.Sleep(c.retries[attempt])
	}
}
