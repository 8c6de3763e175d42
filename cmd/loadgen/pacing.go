package main

import (
	"context"
	"time"
)

// pacer releases slots at a fixed rate from a start time: slot n is due
// at start + n/rate, whatever happened to the earlier ones (open loop).
// A late caller gets the overdue slots at once, so the mean rate holds.
type pacer struct {
	start time.Time
	every time.Duration
	n     int64
}

// newPacer paces rate slots a second from start.
func newPacer(rate float64, start time.Time) *pacer {
	return &pacer{start: start, every: time.Duration(float64(time.Second) / rate)}
}

// due is the time slot n is due.
func (p *pacer) due(n int64) time.Time {
	return p.start.Add(time.Duration(n) * p.every)
}

// wait blocks until the next slot is due and returns its number, or -1
// when ctx ends first.
func (p *pacer) wait(ctx context.Context) int64 {
	n := p.n
	d := time.Until(p.due(n))
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return -1
		case <-t.C:
		}
	} else if ctx.Err() != nil {
		return -1
	}
	p.n++
	return n
}
