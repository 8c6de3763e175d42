package tickets

import (
	"fmt"
	"time"
)

// Calendar tells working days from days off: weekends and public holidays
// are off, except make-up working days (调休) that fall on a weekend.
type Calendar struct {
	holidays map[string]bool
	workdays map[string]bool
	loc      *time.Location
}

// dateLayout is how calendar files write days.
const dateLayout = "2006-01-02"

// maxCalendarDays bounds a deadline computation, so a calendar with no
// working day at all cannot loop forever.
const maxCalendarDays = 3660

// NewCalendar builds a calendar from holiday and make-up working days
// written as 2006-01-02, in the given location (nil means UTC).
func NewCalendar(holidays, workdays []string, loc *time.Location) (*Calendar, error) {
	if loc == nil {
		loc = time.UTC
	}
	c := &Calendar{holidays: map[string]bool{}, workdays: map[string]bool{}, loc: loc}
	for _, d := range holidays {
		if _, err := time.ParseInLocation(dateLayout, d, loc); err != nil {
			return nil, fmt.Errorf("holiday %q: want a date like 2026-10-01", d)
		}
		c.holidays[d] = true
	}
	for _, d := range workdays {
		if _, err := time.ParseInLocation(dateLayout, d, loc); err != nil {
			return nil, fmt.Errorf("working day %q: want a date like 2026-10-11", d)
		}
		if c.holidays[d] {
			return nil, fmt.Errorf("%s is listed both as a holiday and as a working day", d)
		}
		c.workdays[d] = true
	}
	return c, nil
}

// Working reports whether the day of t is a working day.
func (c *Calendar) Working(t time.Time) bool {
	t = t.In(c.loc)
	day := t.Format(dateLayout)
	if c.workdays[day] {
		return true
	}
	if c.holidays[day] {
		return false
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Holiday reports whether the day of t is a listed public holiday, on a
// weekday or a weekend.
func (c *Calendar) Holiday(t time.Time) bool {
	return c.holidays[t.In(c.loc).Format(dateLayout)]
}

// Add returns the time d after t, counting only the hours of working days.
// A start on a day off counts from the next working day's midnight.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	t = t.In(c.loc)
	for i := 0; i < maxCalendarDays; i++ {
		y, m, dd := t.Date()
		midnight := time.Date(y, m, dd+1, 0, 0, 0, 0, c.loc)
		if c.Working(t) {
			left := midnight.Sub(t)
			if d <= left {
				return t.Add(d)
			}
			d -= left
		}
		t = midnight
	}
	return t.Add(d)
}
