package dialog

import "time"

// Clock tells the time. Deadlines, expiry and retention read it so tests
// can control time.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real wall clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }
