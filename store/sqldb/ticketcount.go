package sqldb

import (
	"context"
	"fmt"
	"strings"

	"hotline/tickets"
)

// TicketCount is how many open tickets share a kind, a status and a
// standing against their deadlines.
type TicketCount struct {
	// Kind is the tickets' kind.
	Kind tickets.Kind
	// Status is one of the open statuses.
	Status tickets.Status
	// Risk is the tickets' standing: none, at risk or breached.
	Risk tickets.Risk
	// N is how many there are.
	N int64
}

// openStatuses are the statuses of open tickets, named one by one so the
// query below reads the status index instead of every ticket ever made.
var openStatuses = func() []any {
	var out []any
	for _, s := range tickets.Statuses() {
		if (tickets.Ticket{Status: s}).Open() {
			out = append(out, string(s))
		}
	}
	return out
}()

// sqlCountOpen groups the open tickets by kind, status and risk.
var sqlCountOpen = "SELECT kind, status, risk, COUNT(*) FROM tickets WHERE status IN (" +
	strings.TrimSuffix(strings.Repeat("?, ", len(openStatuses)), ", ") +
	") GROUP BY kind, status, risk"

// CountOpenTickets counts the open tickets by kind, status and risk; a
// combination with no ticket is left out. Its cost grows with the open
// tickets only, not with the closed ones. It returns the database's error
// when the query fails.
func (s *Tickets) CountOpenTickets(ctx context.Context) ([]TicketCount, error) {
	rows, err := s.db.reader.QueryContext(ctx, s.db.Rebind(sqlCountOpen), openStatuses...)
	if err != nil {
		return nil, fmt.Errorf("count open tickets: %w", err)
	}
	defer rows.Close()
	var out []TicketCount
	for rows.Next() {
		var c TicketCount
		if err := rows.Scan(&c.Kind, &c.Status, &c.Risk, &c.N); err != nil {
			return nil, fmt.Errorf("count open tickets: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count open tickets: %w", err)
	}
	return out, nil
}
