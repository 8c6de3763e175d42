package handoff

import (
	"testing"
	"time"

	"hotline/tickets"
)

// testHours are 08:00-20:00 on weekdays and 09:00-17:00 on Saturdays in
// Shanghai, with 1 and 2 October 2026 (Thursday, Friday) and Saturday 10
// October as holidays and Sunday 11 October as a make-up working day.
func testHours(t *testing.T) (*Hours, *time.Location) {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := tickets.NewCalendar([]string{"2026-10-01", "2026-10-02", "2026-10-10"}, []string{"2026-10-11"}, loc)
	if err != nil {
		t.Fatal(err)
	}
	day := Span{From: 8 * time.Hour, To: 20 * time.Hour}
	week := map[time.Weekday][]Span{time.Saturday: {{From: 9 * time.Hour, To: 17 * time.Hour}}}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		week[wd] = []Span{day}
	}
	h, err := NewHours(HoursConfig{Week: week, Calendar: cal, Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	return h, loc
}

func TestHours_Open(t *testing.T) {
	h, loc := testHours(t)
	cases := map[string]bool{
		"2026-09-30 07:59": false, // Wednesday before opening
		"2026-09-30 08:00": true,
		"2026-09-30 19:59": true,
		"2026-09-30 20:00": false, // closing is exclusive
		"2026-10-01 10:00": false, // holiday on a Thursday
		"2026-10-03 10:00": true,  // Saturday hours
		"2026-10-10 10:00": false, // holiday on a Saturday
		"2026-10-11 10:00": true,  // Sunday make-up day, Monday's hours
		"2026-10-11 19:30": true,
		"2026-10-18 10:00": false, // plain Sunday
	}
	for at, want := range cases {
		tm, err := time.ParseInLocation("2006-01-02 15:04", at, loc)
		if err != nil {
			t.Fatal(err)
		}
		if got := h.Open(tm); got != want {
			t.Errorf("Open(%s) = %v, want %v", at, got, want)
		}
		if got := h.Open(tm.UTC()); got != want {
			t.Errorf("Open(%s in UTC) = %v, want %v", at, got, want)
		}
	}
}

func TestHours_NextOpen(t *testing.T) {
	h, loc := testHours(t)
	cases := map[string]string{
		"2026-09-30 10:00": "2026-09-30 10:00", // open now
		"2026-09-30 06:00": "2026-09-30 08:00",
		"2026-09-30 20:00": "2026-10-03 09:00", // over two holidays
		"2026-10-10 18:00": "2026-10-11 08:00", // to the make-up Sunday
		"2026-10-17 18:00": "2026-10-19 08:00", // over a plain Sunday
	}
	for from, want := range cases {
		tm, _ := time.ParseInLocation("2006-01-02 15:04", from, loc)
		next, ok := h.NextOpen(tm)
		if got := next.In(loc).Format("2006-01-02 15:04"); !ok || got != want {
			t.Errorf("NextOpen(%s) = %s, %v; want %s", from, got, ok, want)
		}
	}
}

func TestHours_NeverOpen(t *testing.T) {
	h, err := NewHours(HoursConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := h.NextOpen(t0); ok {
		t.Fatal("hours with no ranges report an opening")
	}
}

func TestNewHours_BadRanges(t *testing.T) {
	cases := map[string][]Span{
		"empty":    {{From: 9 * time.Hour, To: 9 * time.Hour}},
		"too late": {{From: 9 * time.Hour, To: 25 * time.Hour}},
		"overlap": {
			{From: 8 * time.Hour, To: 12 * time.Hour},
			{From: 11 * time.Hour, To: 14 * time.Hour},
		},
	}
	for name, spans := range cases {
		_, err := NewHours(HoursConfig{Week: map[time.Weekday][]Span{time.Monday: spans}})
		if err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestParseSpan(t *testing.T) {
	s, err := ParseSpan("08:30-24:00")
	if err != nil || s.From != 8*time.Hour+30*time.Minute || s.To != 24*time.Hour {
		t.Fatalf("ParseSpan = %+v, %v", s, err)
	}
	for _, bad := range []string{"08:30", "8-20", "08:30-24:30", "25:00-26:00"} {
		if _, err := ParseSpan(bad); err == nil {
			t.Errorf("ParseSpan(%q) accepted", bad)
		}
	}
}
