package sqldb

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"hotline/tickets"
)

// Page sizes of ListTickets.
const (
	defaultPage = 20
	maxPage     = 100
)

// ListTickets returns one page of the tickets matching f, newest first
// (by creation time, then id), without history. Page.Next continues after
// the page's last ticket, so tickets created meanwhile shift nothing. A
// cursor this store did not make is tickets.ErrInvalid.
func (s *Tickets) ListTickets(ctx context.Context, f tickets.Filter) (tickets.Page, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = defaultPage
	}
	limit = min(limit, maxPage)

	where, args, err := filterSQL(f)
	if err != nil {
		return tickets.Page{}, err
	}
	q := "SELECT " + ticketColumns + " FROM tickets"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY created_at DESC, id DESC LIMIT ?"
	args = append(args, limit+1)

	// Filters combine into many shapes, so these queries are not kept
	// prepared.
	rows, err := s.db.reader.QueryContext(ctx, s.db.Rebind(q), args...)
	if err != nil {
		return tickets.Page{}, fmt.Errorf("list tickets: %w", err)
	}
	list, err := s.scanTickets(rows)
	if err != nil {
		return tickets.Page{}, err
	}
	return page(list, limit), nil
}

// page cuts the one extra ticket read and makes the cursor from the last
// one kept.
func page(list []tickets.Ticket, limit int) tickets.Page {
	if len(list) <= limit {
		return tickets.Page{Tickets: list}
	}
	list = list[:limit]
	last := list[limit-1]
	return tickets.Page{Tickets: list, Next: encodeCursor(last.CreatedAt.UnixNano(), last.ID)}
}

// filterSQL turns a filter into conditions and their arguments.
func filterSQL(f tickets.Filter) ([]string, []any, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}

	if len(f.Status) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(f.Status)), ", ")
		in := make([]any, len(f.Status))
		for i, st := range f.Status {
			in[i] = string(st)
		}
		add("status IN ("+marks+")", in...)
	}
	if f.Kind != "" {
		add("kind = ?", string(f.Kind))
	}
	if f.Phone != "" {
		add("phone = ?", f.Phone)
	}
	if f.Breached != nil && *f.Breached {
		add("risk = 'breached'")
	}
	if f.Breached != nil && !*f.Breached {
		add("risk <> 'breached'")
	}
	if !f.CreatedFrom.IsZero() {
		add("created_at >= ?", f.CreatedFrom.UnixNano())
	}
	if !f.CreatedTo.IsZero() {
		add("created_at < ?", f.CreatedTo.UnixNano())
	}
	if o := f.Owner; o != nil && o.SubscriberID != "" {
		add("owner_subscriber_id = ? AND owner_subscriber_id <> ''", o.SubscriberID)
	} else if o != nil {
		add("owner_channel = ? AND owner_address = ?", o.Channel, o.Address)
	}
	if f.OpenOnly {
		add(openStatus)
	}
	if f.Cursor != "" {
		at, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, nil, err
		}
		add("(created_at, id) < (?, ?)", at, id)
	}
	return where, args, nil
}

// encodeCursor makes an opaque cursor from the last ticket's creation
// time and id.
func encodeCursor(at int64, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at, 10) + "/" + id))
}

func decodeCursor(c string) (int64, string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, "", fmt.Errorf("%w: bad cursor", tickets.ErrInvalid)
	}
	at, id, ok := strings.Cut(string(raw), "/")
	n, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || id == "" {
		return 0, "", fmt.Errorf("%w: bad cursor", tickets.ErrInvalid)
	}
	return n, id, nil
}
