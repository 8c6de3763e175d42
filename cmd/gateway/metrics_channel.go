package main

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"hotline/channels"
)

// countedChannel is a channel as the outbox sees it: every delivery
// attempt is counted by its result and timed.
type countedChannel struct {
	channels.Channel
	m    *metrics
	time prometheus.Observer
}

var _ channels.Channel = (*countedChannel)(nil)

// Send delivers through the channel and counts the attempt.
func (c *countedChannel) Send(ctx context.Context, o channels.Outbound) error {
	start := time.Now()
	err := c.Channel.Send(ctx, o)
	c.time.Observe(time.Since(start).Seconds())
	name := c.Name()
	c.m.sends.WithLabelValues(name, c.m.providers[name], sendResult(err)).Inc()
	return err
}

// sendResult names a send's outcome the way the outbox treats it: held
// when the subscriber is away and reads it later, and a failure worth
// retrying or not.
func sendResult(err error) string {
	switch {
	case err == nil:
		return resultSent
	case errors.Is(err, channels.ErrNotConnected):
		return resultHeld
	case channels.Retryable(err):
		return resultRetryable
	}
	return resultPermanent
}
