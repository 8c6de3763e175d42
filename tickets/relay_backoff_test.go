package tickets

import (
	"errors"
	"testing"
	"time"
)

func TestRelay_BackoffDoublesWithJitterUpToMax(t *testing.T) {
	r := &Relay{cfg: RelayConfig{MinBackoff: time.Second, MaxBackoff: 5 * time.Minute}}
	failed := errors.New("down")
	for failures := 1; failures <= 40; failures++ {
		ceiling := min(time.Second<<min(failures-1, 20), 5*time.Minute)
		seen := map[time.Duration]bool{}
		for range 50 {
			d := r.backoff(failures, failed)
			if d < max(ceiling/2, time.Second) || d > ceiling {
				t.Fatalf("after %d failures waited %s, want within [%s, %s]",
					failures, d, ceiling/2, ceiling)
			}
			seen[d] = true
		}
		if failures > 1 && len(seen) < 2 {
			t.Fatalf("after %d failures every wait was the same: no jitter", failures)
		}
	}
}

func TestRelay_BackoffOfPermanentAndDelayedFailures(t *testing.T) {
	r := &Relay{cfg: RelayConfig{MinBackoff: time.Second, MaxBackoff: time.Minute}}
	failed := errors.New("down")
	cases := []struct {
		name     string
		err      error
		min, max time.Duration
	}{
		{"permanent waits the max", Permanent(failed), time.Minute, time.Minute},
		{"retry-after is honoured", RetryAfter(failed, 30*time.Second), 30 * time.Second, time.Minute},
		{"retry-after is capped", RetryAfter(failed, time.Hour), time.Minute, time.Minute},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if d := r.backoff(1, &relayError{err: c.err}); d < c.min || d > c.max {
				t.Fatalf("waited %s, want within [%s, %s]", d, c.min, c.max)
			}
		})
	}
}

func TestPermanent_WrapsAndUnwraps(t *testing.T) {
	base := errors.New("status 400")
	err := Permanent(base)
	if !IsPermanent(err) || !errors.Is(err, base) || IsPermanent(base) || Permanent(nil) != nil {
		t.Fatal("Permanent does not wrap as documented")
	}
	if RetryAfter(nil, time.Second) != nil || RetryDelay(base) != 0 {
		t.Fatal("RetryAfter does not wrap as documented")
	}
}
