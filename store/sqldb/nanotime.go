package sqldb

import (
	"fmt"
	"time"
)

// nanos is how a time is stored: unix nanoseconds, exact to the
// nanosecond, with NULL for the zero time. Times before 1678 or after 2262
// do not fit.
func nanos(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// timeScan reads a stored time into t, in loc; NULL reads as the zero
// time.
type timeScan struct {
	t   *time.Time
	loc *time.Location
}

// Scan implements sql.Scanner.
func (s timeScan) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.t = time.Time{}
	case int64:
		*s.t = time.Unix(0, v).In(s.loc)
	default:
		return fmt.Errorf("read time: want an integer, got %T", src)
	}
	return nil
}

// localTime returns t in loc, leaving the zero time as it is.
func localTime(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.In(loc)
}
