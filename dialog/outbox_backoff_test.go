package dialog

import (
	"testing"
	"time"
)

// A message that keeps failing waits twice as long each time, each wait
// at most five minutes.
func TestRetryAt_Backoff(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	cases := map[int]time.Duration{
		0: 0,
		1: 5 * time.Second,
		2: 15 * time.Second,
		3: 35 * time.Second,
		7: (5 + 10 + 20 + 40 + 80 + 160 + 300) * time.Second,
		8: (5 + 10 + 20 + 40 + 80 + 160 + 300 + 300) * time.Second,
	}
	for attempts, wait := range cases {
		if got := retryAt(Message{CreatedAt: t0, Attempts: attempts}); !got.Equal(t0.Add(wait)) {
			t.Errorf("after %d attempts: retry at +%v, want +%v", attempts, got.Sub(t0), wait)
		}
	}
}
