package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline/tickets"
)

// crmSecret is the shared secret of the test CRM.
const crmSecret = "crm-secret-for-tests-0123456789"

// fakeCRM is the operator's CRM as a local server: it refuses the first
// requests with 503, as during an outage, then checks each signature and
// records the events it accepted.
type fakeCRM struct {
	mu       sync.Mutex
	failing  int // requests still to refuse
	badSigs  int
	accepted map[string]int // idempotency key → times accepted
	events   []tickets.CRMEvent
}

func (f *fakeCRM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing > 0 {
		f.failing--
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	ts := r.Header.Get(tickets.HeaderTimestamp)
	if r.Header.Get(tickets.HeaderSignature) != tickets.SignCRM([]byte(crmSecret), ts, body) {
		f.badSigs++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var e tickets.CRMEvent
	if err := json.Unmarshal(body, &e); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	key := r.Header.Get(tickets.HeaderIdempotencyKey)
	f.accepted[key]++
	if f.accepted[key] == 1 {
		f.events = append(f.events, e)
	}
}

// received returns the events accepted so far, in arrival order.
func (f *fakeCRM) received() []tickets.CRMEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]tickets.CRMEvent(nil), f.events...)
}

// TestGateway_CRMGetsEveryEventOnceAndAnswersBack runs the gateway with a
// CRM that is down at first: the new ticket's event arrives once it is
// back, signed, exactly once; the CRM's signed status change through the
// webhook reaches the subscriber, and its event comes back to the CRM.
func TestGateway_CRMGetsEveryEventOnceAndAnswersBack(t *testing.T) {
	crm := &fakeCRM{failing: 3, accepted: map[string]int{}}
	srv := httptest.NewServer(crm)
	defer srv.Close()
	g := startGateway(t, t.TempDir(), ticketEnv(map[string]string{
		"HOTLINE_CRM_URL": srv.URL, "HOTLINE_CRM_SECRET": crmSecret,
	}))

	c := startChat(t, g)
	id, _ := c.confirm(c.reportBroadband("朝阳", "朝阳区建国路88号3单元502"))
	waitUntil(t, "the created event at the CRM", func() bool { return len(crm.received()) == 1 })
	created := crm.received()[0]
	if created.Type != tickets.EventCreated || created.Ticket.ID != id {
		t.Fatalf("first CRM event = %s for %s, want ticket.created for %s", created.Type, created.Ticket.ID, id)
	}

	// The CRM answers back: work has started.
	change := map[string]any{"ticket_id": id, "status": "in_progress", "note": "工程师已派单", "event_id": "crm-1"}
	if status := postWebhook(t, g, change); status != http.StatusOK {
		t.Fatalf("webhook = %d, want 200", status)
	}
	c.notice(id)
	// A retry of the same change applies once.
	if status := postWebhook(t, g, change); status != http.StatusOK {
		t.Fatalf("repeated webhook = %d, want 200", status)
	}
	waitUntil(t, "the status event at the CRM", func() bool { return len(crm.received()) == 2 })

	time.Sleep(300 * time.Millisecond) // room for a wrong second delivery
	got := crm.received()
	if len(got) != 2 || got[1].Type != tickets.EventStatus || got[1].Change.Actor != "crm" {
		t.Fatalf("CRM events = %+v, want created then one status change by crm", got)
	}
	if got[0].Seq >= got[1].Seq {
		t.Errorf("events out of order: seq %d then %d", got[0].Seq, got[1].Seq)
	}
	crm.mu.Lock()
	defer crm.mu.Unlock()
	for key, n := range crm.accepted {
		if n != 1 {
			t.Errorf("event %s accepted %d times", key, n)
		}
	}
	if crm.badSigs != 0 {
		t.Errorf("%d requests with a bad signature", crm.badSigs)
	}
	if strings.Contains(g.logs.String(), crmSecret) {
		t.Error("the CRM secret appears in the logs")
	}
}

// postWebhook sends a change to the gateway's CRM webhook, signed now.
func postWebhook(t *testing.T, g *gw, change map[string]any) int {
	t.Helper()
	body, _ := json.Marshal(change)
	req, _ := http.NewRequest("POST", "http://"+g.addr+crmWebhookPath, bytes.NewReader(body))
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(tickets.HeaderTimestamp, ts)
	req.Header.Set(tickets.HeaderSignature, tickets.SignCRM([]byte(crmSecret), ts, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// waitUntil polls cond for up to 15 seconds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
