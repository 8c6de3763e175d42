package reports

import (
	"context"
	"testing"
	"time"
)

// memSource keeps figures in memory and counts the computations, so the
// tests can see when Days trusts what is kept.
type memSource struct {
	kept     map[int]Saved
	computed []time.Time // the from of each Compute
	visits   int         // the visits each computed day reports
}

func (m *memSource) Compute(_ context.Context, from, _ time.Time) (Day, error) {
	m.computed = append(m.computed, from)
	var d Day
	d.Channel("webchat").Visits = m.visits
	return d, nil
}

func (m *memSource) Saved(_ context.Context, first, last int) (map[int]Saved, error) {
	out := map[int]Saved{}
	for day, s := range m.kept {
		if day >= first && day <= last {
			out[day] = s
		}
	}
	return out, nil
}

func (m *memSource) Save(_ context.Context, day int, d Day, at time.Time) error {
	if m.kept == nil {
		m.kept = map[int]Saved{}
	}
	m.kept[day] = Saved{Day: d, ComputedAt: at}
	return nil
}

var shanghai = time.FixedZone("CST", 8*3600)

func TestDays_KeptSettledFreshAndToday(t *testing.T) {
	now := time.Date(2026, 12, 4, 15, 0, 0, 0, shanghai)
	src := &memSource{visits: 1}
	ds := NewDays(src, shanghai, func() time.Time { return now })
	ctx := context.Background()

	// 20 Nov: settled (computed more than Settle after it ended) → kept.
	settled := Day{}
	settled.Channel("webchat").Visits = 7
	src.kept = map[int]Saved{
		20261120: {Day: settled, ComputedAt: time.Date(2026, 11, 28, 1, 0, 0, 0, shanghai)},
		// 2 Dec: finished, not settled, computed 30 minutes ago → fresh.
		20261202: {Day: settled, ComputedAt: now.Add(-30 * time.Minute)},
		// 3 Dec: finished, not settled, computed 2 hours ago → stale.
		20261203: {Day: settled, ComputedAt: now.Add(-2 * time.Hour)},
	}

	got, err := ds.Range(ctx, time.Date(2026, 11, 20, 0, 0, 0, 0, shanghai), now.AddDate(0, 0, 3))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 15 {
		t.Fatalf("%d days, want 20 Nov to 4 Dec (15): days after today are left out", len(got))
	}
	visits := func(date string) int {
		for _, d := range got {
			if d.Date.Format(time.DateOnly) == date {
				return d.Day.Channels["webchat"].Visits
			}
		}
		t.Fatalf("no %s", date)
		return 0
	}
	if visits("2026-11-20") != 7 || visits("2026-12-02") != 7 {
		t.Error("a settled or fresh kept day was computed again")
	}
	if visits("2026-12-03") != 1 || visits("2026-12-04") != 1 || visits("2026-11-21") != 1 {
		t.Error("a stale, missing or current day was not computed")
	}
	// 13 days computed: 21 Nov to 1 Dec (11), 3 Dec and today.
	if len(src.computed) != 13 {
		t.Errorf("%d computations, want 13", len(src.computed))
	}
	if _, kept := src.kept[20261204]; kept {
		t.Error("today's figures were kept though the day is not over")
	}
	if s := src.kept[20261203]; !s.ComputedAt.Equal(now) {
		t.Error("the stale day was not kept again")
	}
}

func TestDays_RefreshKeepsTheUnsettledDays(t *testing.T) {
	now := time.Date(2026, 12, 4, 0, 30, 0, 0, shanghai)
	src := &memSource{visits: 2}
	ds := NewDays(src, shanghai, func() time.Time { return now })
	if err := ds.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	// 26 Nov to 3 Dec: each finished day that a late event could still
	// change, and the one that settles now.
	for day := 20261126; day <= 20261130; day++ {
		if _, ok := src.kept[day]; !ok {
			t.Errorf("%d not kept", day)
		}
	}
	for _, day := range []int{20261201, 20261202, 20261203} {
		if _, ok := src.kept[day]; !ok {
			t.Errorf("%d not kept", day)
		}
	}
	if _, ok := src.kept[20261204]; ok {
		t.Error("today kept")
	}
	if len(src.kept) != 8 {
		t.Errorf("%d days kept, want 8", len(src.kept))
	}
}
