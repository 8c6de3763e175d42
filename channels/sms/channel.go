package sms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"hotline/channels"
)

// Config configures one SMS channel: one provider account under a name.
type Config struct {
	// Name is the channel's name in config, conversations and the
	// callback paths /sms/<name>/inbound and /sms/<name>/status.
	Name string
	// Provider reads the provider's callbacks and sends through its API.
	Provider Provider
	// Signature is the sender name the platform adds to every message,
	// without brackets; it counts towards each message's length.
	Signature string
	// MaxParts is the most parts one message may take. A bot reply that
	// is longer is shortened; any other message is refused, so an agent
	// learns it was not sent. Default 3.
	MaxParts int
	// Rate is the most sends a second to the provider; Burst how many
	// may go at once. Defaults 10 and 10.
	Rate  float64
	Burst int
	// Shared, when set, counts the sends of every gateway instance, so
	// Rate holds for all of them together; this instance's own bucket is
	// used when it cannot be reached.
	Shared SharedCounter
	// PathToken, when set, must end the callback path
	// (/sms/<name>/inbound/<token>): the protection of providers that do
	// not sign their callbacks.
	PathToken string
	// Allow, when not empty, lists the source addresses callbacks may
	// come from.
	Allow []netip.Prefix
	// MaxBody is the largest callback body accepted. Default 64 KiB.
	MaxBody int64
	// DefaultCountry is the calling code of national numbers. Default 86.
	DefaultCountry string
	// Texts are the replies to keywords.
	Texts KeywordTexts
	// Receiver takes inbound messages; Store keeps opt-outs and sends.
	Receiver channels.Receiver
	Store    Store
	// Choices keeps the numbered answers offered to each number, and
	// Codes the binding codes of a Binder on this channel. Both default
	// to stores in this process's memory; with several instances, give
	// them stores all of them share.
	Choices ChoiceStore
	Codes   CodeStore
	// Log gets lines without numbers or text; Now is the clock.
	Log *slog.Logger
	Now func() time.Time
}

// KeywordTexts are the channel's own replies to keywords.
type KeywordTexts struct {
	// OptOut confirms an opt-out: the one message an opted-out number
	// gets.
	OptOut string
	// OptIn confirms an opt-in.
	OptIn string
	// Help explains what the number can do.
	Help string
}

func (c *Config) fill() {
	if c.MaxParts == 0 {
		c.MaxParts = 3
	}
	if c.Rate <= 0 {
		c.Rate = 10
	}
	if c.Burst <= 0 {
		c.Burst = 10
	}
	if c.MaxBody <= 0 {
		c.MaxBody = 64 << 10
	}
	if c.DefaultCountry == "" {
		c.DefaultCountry = "86"
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Choices == nil {
		c.Choices = NewMemChoices()
	}
	if c.Codes == nil {
		c.Codes = NewMemCodes()
	}
	def := defaultTexts()
	if c.Texts.OptOut == "" {
		c.Texts.OptOut = def.OptOut
	}
	if c.Texts.OptIn == "" {
		c.Texts.OptIn = def.OptIn
	}
	if c.Texts.Help == "" {
		c.Texts.Help = def.Help
	}
}

// defaultTexts are the keyword replies when config gives none.
func defaultTexts() KeywordTexts {
	return KeywordTexts{
		OptOut: "您已退订本号码的客服短信，回复START可恢复。",
		OptIn:  "您已恢复接收客服短信，回复TD退订。",
		Help:   "客服短信：描述故障即可报修，回复CX查询工单，回复TD退订。",
	}
}

// Channel is one SMS provider account. It implements channels.Channel and
// serves the provider's callbacks.
type Channel struct {
	cfg     Config
	bucket  *bucket
	breaker *breaker
	sent    *sentLog
	retries []time.Duration // waits between attempts at a keyword's reply
}

var _ channels.Channel = (*Channel)(nil)

// Breaker tuning: this many retryable failures in a row pause sends for
// the cool-down; the outbox retries them later.
const (
	breakerThreshold = 5
	breakerCooldown  = 30 * time.Second
)

// New builds a channel; it returns an error when a required part is
// missing.
func New(c Config) (*Channel, error) {
	c.fill()
	switch {
	case c.Name == "":
		return nil, errors.New("sms: a channel needs a name")
	case c.Provider == nil:
		return nil, fmt.Errorf("sms %s: a provider is required", c.Name)
	case c.Receiver == nil || c.Store == nil:
		return nil, fmt.Errorf("sms %s: a receiver and a store are required", c.Name)
	}
	ch := &Channel{cfg: c, bucket: newBucket(c.Rate, c.Burst, c.Now),
		breaker: newBreaker(breakerThreshold, breakerCooldown, c.Now)}
	ch.sent = newSentLog(c.Name, c.Store, c.Log)
	ch.retries = keywordRetries()
	return ch, nil
}

// Name is the channel's name in conversations.
func (c *Channel) Name() string { return c.cfg.Name }

// errOptedOut is the permanent failure of a message to an opted-out
// number.
var errOptedOut = errors.New("number opted out")

// errTooLong is the permanent failure of a message over MaxParts.
var errTooLong = errors.New("message longer than the configured parts")

// Send delivers one message by SMS, unless the number opted out. Quick
// replies become numbered codes; a bot reply over MaxParts is shortened,
// any other message over it refused.
func (c *Channel) Send(ctx context.Context, m channels.Outbound) error {
	out, err := c.cfg.Store.OptedOut(ctx, m.Address)
	switch {
	case err != nil:
		return &channels.SendError{Retryable: true, Err: fmt.Errorf("read opt-out: %w", err)}
	case out:
		return &channels.SendError{Retryable: false, Err: errOptedOut}
	}

	text := render(m)
	if Count(text, c.cfg.Signature).Parts > c.cfg.MaxParts {
		if m.From != "bot" {
			return &channels.SendError{Retryable: false, Err: errTooLong}
		}
		text, _ = FitParts(text, c.cfg.Signature, c.cfg.MaxParts)
	}

	id, err := c.submit(ctx, m.Address, text)
	if err != nil {
		return err
	}
	if selfNumbered(m.QuickReplies) {
		c.offer(ctx, m.Address, nil) // the number typed is the answer itself
	} else {
		c.offer(ctx, m.Address, m.QuickReplies)
	}
	c.sent.add(Sent{ProviderID: id, MessageID: m.ID, At: c.cfg.Now()})
	return nil
}

// wait takes one send of the rate limit: the deployment's when a shared
// counter is set and answers, this instance's otherwise.
func (c *Channel) wait(ctx context.Context) error {
	if c.cfg.Shared != nil {
		if ok, err := c.waitShared(ctx); ok {
			return err
		}
	}
	return c.bucket.wait(ctx)
}

// submit sends through the provider within the rate limit and the
// circuit breaker.
func (c *Channel) submit(ctx context.Context, to, text string) (string, error) {
	if !c.breaker.allow() {
		return "", &channels.SendError{Retryable: true, Err: errCircuitOpen}
	}
	if err := c.wait(ctx); err != nil {
		c.breaker.result(false, false)
		return "", &channels.SendError{Retryable: true, Err: err}
	}
	id, err := c.cfg.Provider.Send(ctx, to, text)
	c.breaker.result(err == nil, channels.Retryable(err) && !errors.Is(err, errNumberLimit))
	if err != nil {
		return "", err
	}
	return id, nil
}
