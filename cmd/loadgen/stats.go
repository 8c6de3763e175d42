package main

import (
	"math"
	"slices"
	"time"
)

// latencies are the send-to-first-reply times of one channel.
type latencies []time.Duration

// percentile is the nearest-rank percentile p (0 < p <= 100): the
// smallest sample with at least p% of the samples at or below it; zero
// without samples.
func (l latencies) percentile(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	rank = max(1, min(rank, len(s)))
	return s[rank-1]
}

// summary is what the report shows of a channel's latencies.
type summary struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
}

// summarize computes the report's percentiles, in milliseconds.
func (l latencies) summarize() summary {
	ms := func(d time.Duration) float64 { return math.Round(float64(d)/1e4) / 100 }
	return summary{Count: len(l), P50: ms(l.percentile(50)), P90: ms(l.percentile(90)),
		P99: ms(l.percentile(99)), Max: ms(l.percentile(100))}
}
