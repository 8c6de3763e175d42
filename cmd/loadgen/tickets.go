package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// ticketsAPI finds tickets through the gateway's REST API
// (GET /api/v1/tickets?phone=…, docs/api.md).
type ticketsAPI struct {
	base  *url.URL
	token string
}

// lookup returns the numbers of every ticket with the phone, over all
// pages.
func (t ticketsAPI) lookup(phone string) ([]string, error) {
	var ids []string
	cursor := ""
	for range 20 {
		page, next, err := t.page(phone, cursor)
		if err != nil {
			return nil, err
		}
		ids = append(ids, page...)
		if next == "" {
			return ids, nil
		}
		cursor = next
	}
	return ids, nil
}

func (t ticketsAPI) page(phone, cursor string) ([]string, string, error) {
	q := url.Values{"phone": {phone}, "limit": {"100"}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, t.base.String()+"/api/v1/tickets?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+t.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("tickets API: HTTP %d", resp.StatusCode)
	}
	var out struct {
		Tickets []struct {
			ID string `json:"id"`
		} `json:"tickets"`
		NextCursor *string `json:"next_cursor"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, "", fmt.Errorf("tickets API: %v", err)
	}
	var ids []string
	for _, tk := range out.Tickets {
		ids = append(ids, tk.ID)
	}
	next := ""
	if out.NextCursor != nil {
		next = *out.NextCursor
	}
	return ids, next, nil
}
