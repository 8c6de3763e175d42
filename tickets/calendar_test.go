package tickets

import (
	"testing"
	"time"
)

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatalf("load zone: %v", err)
	}
	return loc
}

func TestCalendarWorkingDays(t *testing.T) {
	loc := shanghai(t)
	// 2026-10-01..07 National Day; Sunday 2026-10-11 a make-up working day.
	c, err := NewCalendar([]string{"2026-10-01", "2026-10-02", "2026-10-05"}, []string{"2026-10-11"}, loc)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{
		"2026-09-30": true,  // Wednesday
		"2026-10-01": false, // holiday
		"2026-10-03": false, // Saturday
		"2026-10-05": false, // Monday holiday
		"2026-10-06": true,  // Tuesday
		"2026-10-11": true,  // Sunday make-up day
		"2026-10-17": false, // plain Saturday
	}
	for day, want := range cases {
		d, _ := time.ParseInLocation(dateLayout, day, loc)
		if got := c.Working(d.Add(13 * time.Hour)); got != want {
			t.Errorf("Working(%s) = %v, want %v", day, got, want)
		}
	}
}

func TestCalendarAdd(t *testing.T) {
	loc := shanghai(t)
	c, err := NewCalendar([]string{"2026-10-01", "2026-10-02"}, []string{"2026-10-11"}, loc)
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		start string
		d     time.Duration
		want  string
	}{
		// Within one working day.
		{"2026-09-29 10:00", 5 * time.Hour, "2026-09-29 15:00"},
		// Wednesday 18:00 + 24h: 6h left on Wednesday, then Thu/Fri are
		// holidays, Sat/Sun off, Monday counts 18h.
		{"2026-09-30 18:00", 24 * time.Hour, "2026-10-05 18:00"},
		// Starting on a Saturday counts from the make-up Sunday's midnight.
		{"2026-10-10 09:00", 2 * time.Hour, "2026-10-11 02:00"},
		// Friday 20:00 + 72h crosses a plain weekend.
		{"2026-10-16 20:00", 72 * time.Hour, "2026-10-21 20:00"},
	}
	for _, tc := range cases {
		if got := c.Add(at(tc.start), tc.d); !got.Equal(at(tc.want)) {
			t.Errorf("Add(%s, %v) = %s, want %s", tc.start, tc.d, got.Format("2006-01-02 15:04"), tc.want)
		}
	}
}

func TestCalendarRejectsBadDays(t *testing.T) {
	if _, err := NewCalendar([]string{"2026-13-01"}, nil, nil); err == nil {
		t.Error("a month 13 holiday was accepted")
	}
	if _, err := NewCalendar([]string{"2026-10-01"}, []string{"2026-10-01"}, nil); err == nil {
		t.Error("a day both holiday and working day was accepted")
	}
}

func TestCalendarWithNoWorkingDayEnds(t *testing.T) {
	var all []string
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := 0; d < 40; d++ {
		all = append(all, start.AddDate(0, 0, d).Format(dateLayout))
	}
	c, err := NewCalendar(all, nil, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	got := c.Add(start, time.Hour)
	if !got.After(start.AddDate(0, 0, 39)) {
		t.Errorf("Add skipped no holidays: %s", got)
	}
}

func TestShippedCalendarLoads(t *testing.T) {
	loc := shanghai(t)
	c, err := LoadCalendar("../configs/calendar-2026.yaml", loc)
	if err != nil {
		t.Fatal(err)
	}
	national := time.Date(2026, 10, 6, 12, 0, 0, 0, loc)
	makeUp := time.Date(2026, 10, 10, 12, 0, 0, 0, loc) // a Saturday
	if c.Working(national) || !c.Working(makeUp) {
		t.Errorf("2026-10-06 working=%v, 2026-10-10 working=%v", c.Working(national), c.Working(makeUp))
	}
}

func TestCalendarHoliday(t *testing.T) {
	cal, err := NewCalendar([]string{"2026-10-01", "2026-10-03"}, []string{"2026-10-11"}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{
		"2026-10-01": true,  // a weekday holiday
		"2026-10-03": true,  // a Saturday holiday
		"2026-10-04": false, // a plain Sunday is off, but no holiday
		"2026-10-11": false, // a make-up working day
		"2026-10-12": false,
	}
	for day, want := range cases {
		d, _ := time.Parse("2006-01-02", day)
		if got := cal.Holiday(d.Add(10 * time.Hour)); got != want {
			t.Errorf("Holiday(%s) = %v, want %v", day, got, want)
		}
	}
}
