package sqldb

import (
	"encoding/json"
	"fmt"
	"time"

	"hotline/tickets"
)

// ticketColumns are the tickets table's columns in the order ticketArgs
// and scanTicket use.
const ticketColumns = `id, kind, category, status, priority, owner_channel, owner_address,
	owner_subscriber_id, conversation_id, source, source_key, phone, details, summary, area,
	service, outage_id, assignee, resolution, rating, risk, respond_by, resolve_by,
	responded_at, resolved_at, watch_at, created_at, updated_at, version`

const sqlInsertTicket = "INSERT INTO tickets (" + ticketColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (source_key) WHERE source_key <> '' DO NOTHING`

// sqlUpdateTicket changes every column but the id, the source and the
// creation time, checking the version read.
const sqlUpdateTicket = `UPDATE tickets SET kind = ?, category = ?, status = ?,
	priority = ?, owner_channel = ?, owner_address = ?, owner_subscriber_id = ?,
	conversation_id = ?, phone = ?, details = ?, summary = ?, area = ?, service = ?,
	outage_id = ?, assignee = ?, resolution = ?, rating = ?, risk = ?, respond_by = ?,
	resolve_by = ?, responded_at = ?, resolved_at = ?, watch_at = ?, updated_at = ?,
	version = version + 1
	WHERE id = ? AND version = ?`

// ticketArgs returns t's values in ticketColumns order.
func ticketArgs(t tickets.Ticket, details string) []any {
	return []any{t.ID, string(t.Kind), t.Category, string(t.Status), int64(t.Priority),
		t.Owner.Channel, t.Owner.Address, t.Owner.SubscriberID, t.ConversationID, t.Source,
		t.SourceKey, t.Phone, details, t.Summary, t.Area, t.Service, t.OutageID, t.Assignee,
		t.Resolution, int64(t.Rating), string(t.Risk), nanos(t.RespondBy), nanos(t.ResolveBy),
		nanos(t.RespondedAt), nanos(t.ResolvedAt), nanos(t.WatchAt), nanos(t.CreatedAt),
		nanos(t.UpdatedAt), t.Version}
}

// updateArgs returns t's values for sqlUpdateTicket.
func updateArgs(t tickets.Ticket, details string) []any {
	return []any{string(t.Kind), t.Category, string(t.Status), int64(t.Priority),
		t.Owner.Channel, t.Owner.Address, t.Owner.SubscriberID, t.ConversationID, t.Phone,
		details, t.Summary, t.Area, t.Service, t.OutageID, t.Assignee, t.Resolution,
		int64(t.Rating), string(t.Risk), nanos(t.RespondBy), nanos(t.ResolveBy),
		nanos(t.RespondedAt), nanos(t.ResolvedAt), nanos(t.WatchAt), nanos(t.UpdatedAt),
		t.ID, t.Version}
}

type rowScanner interface{ Scan(dest ...any) error }

// scanTicket reads one row of ticketColumns.
func (s *Tickets) scanTicket(row rowScanner) (tickets.Ticket, error) {
	var t tickets.Ticket
	var kind, status, risk, details string
	var priority, rating int64
	err := row.Scan(&t.ID, &kind, &t.Category, &status, &priority, &t.Owner.Channel,
		&t.Owner.Address, &t.Owner.SubscriberID, &t.ConversationID, &t.Source, &t.SourceKey,
		&t.Phone, &details, &t.Summary, &t.Area, &t.Service, &t.OutageID, &t.Assignee,
		&t.Resolution, &rating, &risk, s.at(&t.RespondBy), s.at(&t.ResolveBy),
		s.at(&t.RespondedAt), s.at(&t.ResolvedAt), s.at(&t.WatchAt), s.at(&t.CreatedAt),
		s.at(&t.UpdatedAt), &t.Version)
	if err != nil {
		return t, err
	}

	t.Kind, t.Status, t.Risk = tickets.Kind(kind), tickets.Status(status), tickets.Risk(risk)
	t.Priority, t.Rating = tickets.Priority(priority), int(rating)
	if details != "{}" && details != "" {
		if err := json.Unmarshal([]byte(details), &t.Details); err != nil {
			return t, fmt.Errorf("read ticket %s details: %w", t.ID, err)
		}
	}
	return t, nil
}

// at returns a scan target for a stored time, read in the store's
// location.
func (s *Tickets) at(t *time.Time) timeScan { return timeScan{t: t, loc: s.loc} }
