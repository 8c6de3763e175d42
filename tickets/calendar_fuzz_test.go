package tickets

import (
	"os"
	"testing"
	"time"
)

// FuzzParseCalendar reads fuzzed calendar files. A file either is refused
// with an error or gives a calendar that keeps what it lists: each
// holiday is a holiday and not a working day, each make-up day is a
// working day, and adding working hours from any listed day ends, later
// than it began.
func FuzzParseCalendar(f *testing.F) {
	if shipped, err := os.ReadFile("../configs/calendar-2026.yaml"); err == nil {
		f.Add(string(shipped))
	}
	f.Add("holidays: [2026-10-01]\nworkdays: [2026-10-11]\n")
	f.Add("holidays: [2026-10-01, 2026-10-01]\n")
	f.Add("holidays: [2026-10-01]\nworkdays: [2026-10-01]\n")
	f.Add("holidays: [2026-1-5]\n")
	f.Add("holidays: [\"2026-02-30\"]\n")
	f.Add("nonsense: 1\n")
	f.Add("holidays: {a: b}\n")
	f.Add("")
	shanghai := time.FixedZone("CST", 8*3600)
	f.Fuzz(func(t *testing.T, text string) {
		c, err := ParseCalendar([]byte(text), shanghai)
		if err != nil {
			if c != nil {
				t.Fatal("a calendar with an error")
			}
			return
		}
		check := func(day string, holiday bool) {
			d, err := time.ParseInLocation(dateLayout, day, shanghai)
			if err != nil {
				t.Fatalf("listed day %q does not parse: %v", day, err)
			}
			noon := d.Add(12 * time.Hour)
			if holiday && (!c.Holiday(noon) || c.Working(noon)) {
				t.Fatalf("%s is listed as a holiday but Holiday=%v Working=%v", day, c.Holiday(noon), c.Working(noon))
			}
			if !holiday && !c.Working(noon) {
				t.Fatalf("%s is listed as a working day but is not one", day)
			}
			if end := c.Add(noon, 24*time.Hour); !end.After(noon) {
				t.Fatalf("24 working hours from %s end at %s", noon, end)
			}
		}
		for day := range c.holidays {
			check(day, true)
		}
		for day := range c.workdays {
			check(day, false)
		}
	})
}
