package main

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
)

// errorCounts counts errors by channel and kind.
type errorCounts struct {
	mu sync.Mutex
	m  map[string]map[string]int
}

func newErrorCounts() *errorCounts { return &errorCounts{m: map[string]map[string]int{}} }

// add counts one error of kind on channel.
func (e *errorCounts) add(channel, kind string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m[channel] == nil {
		e.m[channel] = map[string]int{}
	}
	e.m[channel][kind]++
}

// of returns a copy of a channel's counts.
func (e *errorCounts) of(channel string) map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := map[string]int{}
	for k, v := range e.m[channel] {
		out[k] = v
	}
	return out
}

// httpStatusError is an answer with an unexpected status.
type httpStatusError struct{ status int }

func (e httpStatusError) Error() string { return "HTTP " + strconv.Itoa(e.status) }

// errKind names an error for counting: its HTTP status, a timeout, a
// refused connection, or its text up to the first colon.
func errKind(err error) string {
	var hs httpStatusError
	var ne net.Error
	switch {
	case errors.As(err, &hs):
		return hs.Error()
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case strings.Contains(err.Error(), "connection refused"):
		return "connection refused"
	case strings.Contains(err.Error(), "connection reset"):
		return "connection reset"
	}
	msg, _, _ := strings.Cut(err.Error(), ":")
	return msg
}
