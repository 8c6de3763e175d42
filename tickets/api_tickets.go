package tickets

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Page sizes of the ticket list.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// ticketList is the JSON of one page of tickets.
type ticketList struct {
	Tickets    []ticketJSON `json:"tickets"`
	NextCursor *string      `json:"next_cursor"`
}

// listTickets serves GET /api/v1/tickets: one page of tickets, newest
// first, without history.
func (a *api) listTickets(w http.ResponseWriter, r *http.Request) {
	f, err := listFilter(r.URL.Query())
	if err != nil {
		a.fail(w, r, err)
		return
	}

	page, err := a.svc.List(r.Context(), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}

	out := ticketList{Tickets: make([]ticketJSON, 0, len(page.Tickets))}
	for _, t := range page.Tickets {
		out.Tickets = append(out.Tickets, ticketView(t))
	}
	if page.Next != "" {
		out.NextCursor = &page.Next
	}
	a.write(w, http.StatusOK, out)
}

// listParams are the query parameters the ticket list takes; any other is
// rejected, so a misspelt filter is not silently ignored.
var listParams = map[string]bool{
	"status": true, "kind": true, "phone": true, "breached": true,
	"created_from": true, "created_to": true, "limit": true, "cursor": true,
}

// listFilter reads the list's query parameters into a filter.
func listFilter(q url.Values) (Filter, error) {
	if err := onlyParams(q, listParams); err != nil {
		return Filter{}, err
	}
	f := Filter{Phone: q.Get("phone"), Cursor: q.Get("cursor"), Limit: defaultPageSize}
	var err error

	if f.Status, err = statusParam(q.Get("status")); err != nil {
		return Filter{}, err
	}
	if k := Kind(q.Get("kind")); k != "" {
		if !k.Valid() {
			return Filter{}, badRequest("kind must be one of " + kindList())
		}
		f.Kind = k
	}
	if f.Breached, err = boolParam("breached", q.Get("breached")); err != nil {
		return Filter{}, err
	}
	if v := q.Get("created_from"); v != "" {
		if f.CreatedFrom, err = parseTime("created_from", v); err != nil {
			return Filter{}, err
		}
	}
	if v := q.Get("created_to"); v != "" {
		if f.CreatedTo, err = parseTime("created_to", v); err != nil {
			return Filter{}, err
		}
	}
	if f.Limit, err = limitParam(q.Get("limit"), defaultPageSize); err != nil {
		return Filter{}, err
	}
	return f, nil
}

// onlyParams rejects a query parameter not in known, and one given twice.
func onlyParams(q url.Values, known map[string]bool) error {
	for name, values := range q {
		if !known[name] {
			return badRequest("unknown query parameter " + strconv.Quote(name))
		}
		if len(values) > 1 {
			return badRequest("query parameter " + name + " is given more than once")
		}
	}
	return nil
}

// statusParam reads a comma-separated list of statuses.
func statusParam(v string) ([]Status, error) {
	if v == "" {
		return nil, nil
	}
	var out []Status
	for _, s := range strings.Split(v, ",") {
		st := Status(strings.TrimSpace(s))
		if !st.Valid() {
			return nil, unknownStatus(string(st))
		}
		out = append(out, st)
	}
	return out, nil
}

// boolParam reads true or false; empty is unset.
func boolParam(name, v string) (*bool, error) {
	switch v {
	case "":
		return nil, nil
	case "true":
		return ptr(true), nil
	case "false":
		return ptr(false), nil
	}
	return nil, badRequest(name + " must be true or false")
}

// limitParam reads a page size from 1 to maxPageSize.
func limitParam(v string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxPageSize {
		return 0, badRequest("limit must be a whole number from 1 to " + strconv.Itoa(maxPageSize))
	}
	return n, nil
}

func kindList() string {
	var names []string
	for _, k := range Kinds() {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}

// unknownStatus refuses a status that does not exist, naming those that
// do.
func unknownStatus(s string) error {
	return badRequest("status " + strconv.Quote(s) + " is unknown; statuses are " + statusList())
}

func statusList() string {
	var names []string
	for _, s := range Statuses() {
		names = append(names, string(s))
	}
	return strings.Join(names, ", ")
}

// getTicket serves GET /api/v1/tickets/{id}: the ticket with its history.
func (a *api) getTicket(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	t, err := a.svc.Get(r.Context(), id)
	if err != nil {
		a.fail(w, r, notFound(err, "ticket", id))
		return
	}
	a.write(w, http.StatusOK, ticketFull(t))
}
