package handoff

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"hotline/tickets"
)

// Span is an opening range within a day, from and to as offsets from
// midnight in local wall-clock time; To is exclusive and at most 24h.
type Span struct {
	// From is when the desk opens.
	From time.Duration
	// To is when it closes.
	To time.Duration
}

// ParseSpan reads a range written like 08:30-20:00; 24:00 is the end of
// the day.
func ParseSpan(s string) (Span, error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return Span{}, fmt.Errorf("opening range %q: want one like 08:30-20:00", s)
	}
	f, err := parseClock(strings.TrimSpace(from))
	if err != nil {
		return Span{}, fmt.Errorf("opening range %q: %w", s, err)
	}
	t, err := parseClock(strings.TrimSpace(to))
	if err != nil {
		return Span{}, fmt.Errorf("opening range %q: %w", s, err)
	}
	return Span{From: f, To: t}, nil
}

// parseClock reads a time of day like 08:30 as an offset from midnight.
func parseClock(s string) (time.Duration, error) {
	var h, m int
	if n, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || n != 2 ||
		h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("time of day %q: want hh:mm", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

// HoursConfig describes business hours.
type HoursConfig struct {
	// Week holds the opening ranges of each weekday; a day without any
	// is closed.
	Week map[time.Weekday][]Span
	// MakeUp holds the ranges of a make-up working day (a weekend day
	// the calendar makes a working day); nil means Monday's.
	MakeUp []Span
	// Holiday holds the ranges of a public holiday on a weekday; nil
	// means closed.
	Holiday []Span
	// Calendar tells holidays and make-up days; nil means there are none.
	// It should be in the same location as the hours.
	Calendar *tickets.Calendar
	// Location is the time zone of the ranges; nil means UTC.
	Location *time.Location
}

// Hours are the desk's business hours: a weekly schedule in a time zone,
// with public holidays (on weekdays or weekends) and make-up working days
// from a calendar.
type Hours struct {
	week    [7][]Span
	makeUp  []Span
	holiday []Span
	cal     *tickets.Calendar
	loc     *time.Location
}

// NewHours checks and builds business hours. It returns an error naming
// the day whose ranges are empty, out of the day or overlapping.
func NewHours(c HoursConfig) (*Hours, error) {
	h := &Hours{cal: c.Calendar, loc: c.Location}
	if h.loc == nil {
		h.loc = time.UTC
	}
	for wd, spans := range c.Week {
		if wd < time.Sunday || wd > time.Saturday {
			return nil, fmt.Errorf("business hours: weekday %d out of range", wd)
		}
		var err error
		if h.week[wd], err = checkSpans(wd.String(), spans); err != nil {
			return nil, err
		}
	}
	var err error
	if h.makeUp, err = checkSpans("make-up day", c.MakeUp); err != nil {
		return nil, err
	}
	if c.MakeUp == nil {
		h.makeUp = h.week[time.Monday]
	}
	if h.holiday, err = checkSpans("holiday", c.Holiday); err != nil {
		return nil, err
	}
	return h, nil
}

// checkSpans returns a day's ranges sorted, or says what is wrong.
func checkSpans(day string, spans []Span) ([]Span, error) {
	out := slices.Clone(spans)
	slices.SortFunc(out, func(a, b Span) int { return int(a.From - b.From) })
	for i, s := range out {
		if s.From < 0 || s.To > 24*time.Hour || s.From >= s.To {
			return nil, fmt.Errorf("business hours %s: range %v-%v is empty or outside the day",
				day, s.From, s.To)
		}
		if i > 0 && s.From < out[i-1].To {
			return nil, fmt.Errorf("business hours %s: ranges overlap at %v", day, s.From)
		}
	}
	return out, nil
}

// maxHoursDays bounds the search for the next opening, so hours that are
// never open cannot loop forever.
const maxHoursDays = 400

// Open reports whether the desk is open at t.
func (h *Hours) Open(t time.Time) bool {
	t = t.In(h.loc)
	for _, s := range h.spans(t) {
		if !t.Before(h.at(t, s.From)) && t.Before(h.at(t, s.To)) {
			return true
		}
	}
	return false
}

// NextOpen returns t when the desk is open at t, or else when it next
// opens. It returns false when it does not open within a year or so.
func (h *Hours) NextOpen(t time.Time) (time.Time, bool) {
	if h.Open(t) {
		return t, true
	}
	t = t.In(h.loc)
	y, m, d := t.Date()
	for i := range maxHoursDays {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, h.loc)
		for _, s := range h.spans(day) {
			if start := h.at(day, s.From); start.After(t) {
				return start, true
			}
		}
	}
	return time.Time{}, false
}

// spans returns the opening ranges of the day of t.
func (h *Hours) spans(t time.Time) []Span {
	wd := t.Weekday()
	if h.cal == nil {
		return h.week[wd]
	}
	weekend := wd == time.Saturday || wd == time.Sunday
	switch {
	case h.cal.Holiday(t):
		return h.holiday
	case weekend && h.cal.Working(t):
		return h.makeUp
	}
	return h.week[wd]
}

// at returns the wall-clock time off after midnight on the day of t;
// time.Date normalizes the minutes, so a day with a clock change still
// opens at the written hour.
func (h *Hours) at(t time.Time, off time.Duration) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, int(off/time.Minute), 0, 0, h.loc)
}
