package sqldb

import (
	"slices"

	"hotline/tickets"
)

// fitsBatch reports whether a creation can go in the batch statement: not
// when an event is of another ticket, when its events have different
// consumers, or when a time is zero, which the arrays cannot carry as the
// NULL the separate inserts would refuse. It checks what historyArrays and
// eventArrays need without building them.
func fitsBatch(t tickets.Ticket, rows []eventRow) bool {
	for _, c := range t.History {
		if c.At.IsZero() {
			return false
		}
	}
	for _, e := range rows {
		if _, ok := e.at.(int64); !ok || e.ticketID != t.ID || !slices.Equal(e.consumers, rows[0].consumers) {
			return false
		}
	}
	return true
}

// historyArrays turns history entries into the statement's six arrays.
func historyArrays(changes []tickets.Change) ([]any, bool) {
	n := len(changes)
	at := make([]int64, 0, n)
	actor, action := make([]string, 0, n), make([]string, 0, n)
	from, to, note := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	for _, c := range changes {
		if c.At.IsZero() {
			return nil, false
		}
		at = append(at, c.At.UnixNano())
		actor, action = append(actor, c.Actor), append(action, c.Action)
		from, to, note = append(from, c.From), append(to, c.To), append(note, c.Note)
	}
	return []any{at, actor, action, from, to, note}, true
}

// eventArrays turns the events of ticket id into the statement's three
// arrays, and returns the consumers they share.
func eventArrays(id string, events []eventRow) ([]any, []string, bool) {
	n := len(events)
	typ, payload, at := make([]string, 0, n), make([]string, 0, n), make([]int64, 0, n)
	consumers := []string{}
	for i, e := range events {
		when, ok := e.at.(int64)
		if !ok || e.ticketID != id || (i > 0 && !slices.Equal(e.consumers, consumers)) {
			return nil, nil, false
		}
		if i == 0 && e.consumers != nil {
			consumers = e.consumers
		}
		typ, payload, at = append(typ, e.typ), append(payload, e.payload), append(at, when)
	}
	return []any{typ, payload, at}, consumers, true
}
