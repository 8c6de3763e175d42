package main

import (
	"context"

	"hotline/channels"
)

// countedReceiver is the dialog as the channels see it: every inbound
// message is counted as handled, a duplicate or an error. Messages a
// channel answers itself (an SMS opt-out keyword) never reach it.
type countedReceiver struct {
	next channels.Receiver
	m    *metrics
}

var _ channels.Receiver = countedReceiver{}

// receiver wraps the dialog's receiver; call it after wrapChannels, which
// names the channels.
func (m *metrics) receiver(next channels.Receiver) channels.Receiver {
	return countedReceiver{next: next, m: m}
}

// Receive hands the message on and counts what became of it.
func (r countedReceiver) Receive(ctx context.Context, in channels.Inbound) (channels.Receipt, error) {
	rc, err := r.next.Receive(ctx, in)
	ch, p := r.m.channelLabels(in.Channel)
	switch {
	case err != nil:
		r.m.inboundErrors.WithLabelValues(ch, p).Inc()
	case rc.Duplicate:
		r.m.duplicates.WithLabelValues(ch, p).Inc()
	default:
		r.m.inbound.WithLabelValues(ch, p).Inc()
	}
	return rc, err
}
