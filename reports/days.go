package reports

import (
	"context"
	"fmt"
	"time"
)

// Settle is how long after a day ends its figures may still change (an
// agent's reply after midnight, a late rating); until then they are
// computed again rather than trusted.
const Settle = 7 * 24 * time.Hour

// Fresh is how long a recomputed, not yet settled day's figures are used
// before they are computed again.
const Fresh = time.Hour

// Days reads the figures of calendar days in one time zone from a
// Source: a settled day from what is kept, a finished day not yet
// settled from what is kept if it is fresh and otherwise computed and
// kept, and the current day computed.
type Days struct {
	src Source
	loc *time.Location
	now func() time.Time
}

// NewDays reads days in loc; now is the clock.
func NewDays(src Source, loc *time.Location, now func() time.Time) *Days {
	return &Days{src: src, loc: loc, now: now}
}

// Location is the time zone the days are in.
func (ds *Days) Location() *time.Location { return ds.loc }

// Range returns each day's figures from the day of from to the day of
// to, both included, oldest first. Days after today are left out.
func (ds *Days) Range(ctx context.Context, from, to time.Time) ([]Dated, error) {
	now := ds.now()
	first, last := midnight(from.In(ds.loc)), midnight(to.In(ds.loc))
	if today := midnight(now.In(ds.loc)); last.After(today) {
		last = today
	}
	if first.After(last) {
		return nil, nil
	}
	saved, err := ds.src.Saved(ctx, DayNumber(first), DayNumber(last))
	if err != nil {
		return nil, err
	}

	var out []Dated
	for day := first; !day.After(last); day = day.AddDate(0, 0, 1) {
		d, err := ds.day(ctx, day, saved[DayNumber(day)], now)
		if err != nil {
			return nil, err
		}
		out = append(out, Dated{Date: day, Day: d})
	}
	return out, nil
}

// day returns one day's figures, computing and keeping them when what is
// kept may be out of date.
func (ds *Days) day(ctx context.Context, day time.Time, kept Saved, now time.Time) (Day, error) {
	end := day.AddDate(0, 0, 1)
	if !kept.ComputedAt.IsZero() {
		settled := !kept.ComputedAt.Before(end.Add(Settle))
		if settled || (end.Before(now) && now.Sub(kept.ComputedAt) < Fresh) {
			return kept.Day, nil
		}
	}
	d, err := ds.src.Compute(ctx, day, end)
	if err != nil {
		return Day{}, fmt.Errorf("figures of %s: %w", day.Format(time.DateOnly), err)
	}
	if end.Before(now) || end.Equal(now) {
		if err := ds.src.Save(ctx, DayNumber(day), d, now); err != nil {
			return Day{}, err
		}
	}
	return d, nil
}

// Refresh computes again and keeps the finished days that have not
// settled yet; a background job runs it so reports find them fresh.
func (ds *Days) Refresh(ctx context.Context) error {
	now := ds.now()
	today := midnight(now.In(ds.loc))
	for day := today.Add(-Settle).AddDate(0, 0, -1); day.Before(today); day = day.AddDate(0, 0, 1) {
		d, err := ds.src.Compute(ctx, day, day.AddDate(0, 0, 1))
		if err != nil {
			return fmt.Errorf("figures of %s: %w", day.Format(time.DateOnly), err)
		}
		if err := ds.src.Save(ctx, DayNumber(day), d, now); err != nil {
			return err
		}
	}
	return nil
}

// Dated is one day's figures with the day's start.
type Dated struct {
	// Date is the day's midnight in the report's time zone.
	Date time.Time
	// Day are its figures.
	Day Day
}

// DayNumber is a day as YYYYMMDD.
func DayNumber(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// midnight is the start of t's day in t's location.
func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}
