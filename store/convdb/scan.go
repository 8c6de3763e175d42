package convdb

import (
	"database/sql"
	"fmt"
	"strings"
)

// collect reads every row with scan and closes the rows.
func collect[T any](rows *sql.Rows, scan func(*sql.Rows) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// valueScanner replays already-scanned column values into Scan targets, so
// the row readers can serve a joined query.
type valueScanner []any

// Scan copies the values into dest, converting as database/sql would for
// the types this package uses.
func (v valueScanner) Scan(dest ...any) error {
	if len(dest) != len(v) {
		return fmt.Errorf("scan: %d values for %d targets", len(v), len(dest))
	}
	for i, d := range dest {
		if err := assign(d, v[i]); err != nil {
			return fmt.Errorf("scan column %d: %w", i, err)
		}
	}
	return nil
}

func assign(dest, src any) error {
	switch d := dest.(type) {
	case *string:
		*d = asString(src)
	case *int64:
		n, ok := src.(int64)
		if !ok && src != nil {
			return fmt.Errorf("want an integer, got %T", src)
		}
		*d = n
	case *int:
		n, ok := src.(int64)
		if !ok && src != nil {
			return fmt.Errorf("want an integer, got %T", src)
		}
		*d = int(n)
	case interface{ Scan(any) error }:
		return d.Scan(src)
	default:
		return fmt.Errorf("unsupported target %T", dest)
	}
	return nil
}

func asString(src any) string {
	switch s := src.(type) {
	case string:
		return s
	case []byte:
		return string(s)
	case nil:
		return ""
	default:
		return fmt.Sprint(s)
	}
}

func prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

func countColumns(columns string) int { return strings.Count(columns, ",") + 1 }
