package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ticketsAPI reads tickets through the gateway's REST API
// (GET /api/v1/tickets, docs/api.md).
type ticketsAPI struct {
	base  *url.URL
	token string
}

// byPhone lists every ticket created since from, page by page, and
// returns their numbers by phone (a fault's service number). A 429 is
// waited out as its Retry-After says.
func (t ticketsAPI) byPhone(from time.Time) (map[string][]string, error) {
	out := map[string][]string{}
	q := url.Values{"created_from": {from.Format(time.RFC3339)}, "limit": {"100"}}
	for range 100000 {
		page, next, err := t.page(q)
		if err != nil {
			return nil, err
		}
		for _, tk := range page {
			out[tk.Phone] = append(out[tk.Phone], tk.ID)
		}
		if next == "" {
			return out, nil
		}
		q.Set("cursor", next)
	}
	return nil, fmt.Errorf("tickets API: too many pages")
}

// apiTicket is the part of a ticket the check reads.
type apiTicket struct {
	ID    string `json:"id"`
	Phone string `json:"phone"`
}

// page gets one page, retrying after a 429 up to ten times.
func (t ticketsAPI) page(q url.Values) ([]apiTicket, string, error) {
	for attempt := 0; ; attempt++ {
		page, next, wait, err := t.get(q)
		if wait == 0 || attempt == 10 {
			return page, next, err
		}
		time.Sleep(wait)
	}
}

// get makes one request; wait is set when the API asks to come back.
func (t ticketsAPI) get(q url.Values) ([]apiTicket, string, time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, t.base.String()+"/api/v1/tickets?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+t.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusTooManyRequests {
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return nil, "", time.Duration(max(secs, 1)) * time.Second, fmt.Errorf("tickets API: HTTP 429")
	}
	if resp.StatusCode != http.StatusOK {
		return nil, "", 0, fmt.Errorf("tickets API: HTTP %d", resp.StatusCode)
	}
	var out struct {
		Tickets    []apiTicket `json:"tickets"`
		NextCursor *string     `json:"next_cursor"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, "", 0, fmt.Errorf("tickets API: %v", err)
	}
	next := ""
	if out.NextCursor != nil {
		next = *out.NextCursor
	}
	return out.Tickets, next, 0, nil
}
