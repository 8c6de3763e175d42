package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// chatToken is the shape of a web chat session token: 32 random bytes
// in base64url, 256 bits.
var chatToken = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// A web chat session token is the subscriber's only credential, so it
// must not be guessable: each is 256 random bits, no two share more than
// chance would give, and a token never issued, or one issued token
// changed by a character, opens a fresh conversation, never another's.
func TestSecurity_ChatTokensAreUnguessable(t *testing.T) {
	g := startGateway(t, t.TempDir(), nil)
	owner := dial(t, g.addr, nil)
	w, _ := owner.hello("", "")
	owner.ask("o1", "营业厅几点开门")
	if back, _ := dial(t, g.addr, nil).hello(w.Session, ""); !back.Resumed || back.Conversation == "" {
		t.Fatalf("the owner's token did not resume: %+v", back)
	} else {
		w.Conversation = back.Conversation
	}

	seen := map[string]bool{w.Session: true}
	convs := map[string]bool{w.Conversation: true}
	for range 20 {
		c := dial(t, g.addr, nil)
		f, _ := c.hello("", "")
		if !chatToken.MatchString(f.Session) || seen[f.Session] || (f.Conversation != "" && convs[f.Conversation]) {
			t.Fatalf("session %q conversation %q: not a fresh 256-bit token", f.Session, f.Conversation)
		}
		if p := commonPrefix(f.Session, w.Session); p > 4 {
			t.Errorf("tokens %q and %q share a %d-character prefix", f.Session, w.Session, p)
		}
		seen[f.Session], convs[f.Conversation] = true, true
		_ = c.ws.Close()
	}

	var b [32]byte
	_, _ = rand.Read(b[:])
	last := w.Session[len(w.Session)-2:]
	flip := "A"
	if last[0] == 'A' {
		flip = "B"
	}
	for name, guess := range map[string]string{
		"a random token":          base64.RawURLEncoding.EncodeToString(b[:]),
		"the token one off":       w.Session[:len(w.Session)-2] + flip + last[1:],
		"the token in lower case": strings.ToLower(w.Session),
		"the conversation id":     w.Conversation,
		"an empty token":          "",
	} {
		c := dial(t, g.addr, nil)
		f, history := c.hello(guess, "")
		switch {
		case f.Resumed || f.Conversation == w.Conversation || (guess != "" && f.Session == guess && guess != w.Session):
			t.Errorf("%s resumed a conversation: %+v", name, f)
		case len(history) != 0:
			t.Errorf("%s was shown %d messages of history", name, len(history))
		case f.Session == w.Session:
			t.Errorf("%s was given the owner's token", name)
		}
		_ = c.ws.Close()
	}
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// A ticket belongs to the address and channel it was opened from (or a
// phone number proved by a code): a web chat subscriber who typed the
// same number in a form, a WeChat follower and another SMS number asking
// by the ticket's number all get "not found", and their lists do not
// show it; the owner does see it.
func TestSecurity_TicketsStayWithTheirOwner(t *testing.T) {
	api := newTwilioAPI(t)
	g := startGateway(t, t.TempDir(), twilioEnv(wechatEnv(ticketEnv(nil)), api))

	// A web chat subscriber opens a ticket, giving 13812345678 as the
	// contact number; the number's owner opens one by SMS.
	web := startChat(t, g)
	webID, _ := web.confirm(web.reportBroadband("朝阳", "朝阳区建国路88号3单元502"))
	texter := &texter{t: t, addr: g.addr, phone: "+8613812345678", api: api}
	smsID := ticketNumber.FindString(faultBySMS(t, texter))
	if webID == "" || smsID == "" {
		t.Fatalf("tickets %q and %q", webID, smsID)
	}

	// The owners see their own.
	if r := web.say("查询 " + webID); !strings.Contains(r.Text, webID) || strings.Contains(r.Text, "没有查到") {
		t.Fatalf("the web chat owner asking for %s got %q", webID, r.Text)
	}
	if r := strings.Join(texter.text("CX"), "\n"); !strings.Contains(r, smsID) || strings.Contains(r, webID) {
		t.Fatalf("the SMS owner's status = %q, want %s and not %s", r, smsID, webID)
	}

	// The web chat subscriber typed the number, but never proved it.
	if r := web.say("查询 " + smsID); !strings.Contains(r.Text, "没有查到") {
		t.Errorf("web chat asking for the number's ticket %s got %q", smsID, r.Text)
	}
	if r := web.say("我的工单"); strings.Contains(r.Text, smsID) {
		t.Errorf("web chat's list shows the number's ticket: %q", r.Text)
	}
	// The SMS number never learns of the web chat's ticket.
	if r := strings.Join(texter.text(webID), "\n"); strings.Contains(r, "朝阳区") || !strings.Contains(r, "没有") {
		t.Errorf("SMS asking for the web chat's ticket %s got %q", webID, r)
	}
	// Nor does a WeChat follower, by number or from the menu's list.
	f := follower{t: t, addr: g.addr, openID: "oWX-isolation-0001"}
	for i, ask := range []string{"查询 " + webID, "查询 " + smsID, "我的工单"} {
		r := f.say(ask, int64(7001+i))
		if r == "" {
			sent := wechatAPI().sentTo(f.openID)
			r = strings.Join(sent, "\n")
		}
		if strings.Contains(r, "朝阳区") || strings.Contains(r, "承诺") ||
			(i < 2 && !strings.Contains(r, "没有")) || (i == 2 && (strings.Contains(r, webID) || strings.Contains(r, smsID))) {
			t.Errorf("WeChat asking %q got %q", ask, r)
		}
	}
}

// An agent acts on a ticket only through a conversation they hold: another
// agent's conversation is not theirs, whether they open it, add to its
// ticket or open a new one on it.
func TestSecurity_AgentsActOnlyOnTheirConversations(t *testing.T) {
	a := testAgent{id: "a1", name: "甲", role: "agent", max: 1}
	b := testAgent{id: "b1", name: "乙", role: "agent", max: 1}
	g := startDesk(t, ticketEnv(nil), a, b)
	holder := openConsole(t, g.addr, a.id)
	holder.ready()
	other := openConsole(t, g.addr, b.id)

	sub := dial(t, g.addr, nil)
	sub.hello("", "")
	sub.send(map[string]string{"type": "message", "client_id": "s1", "text": "转人工"})
	conv := holder.want("assigned", nil).View.Conversation
	holder.must("ticket_open", map[string]any{"conversation": conv, "kind": "fault",
		"category": "broadband_down", "summary": "宽带断网"})
	var tk struct {
		ID string `json:"id"`
	}
	tf := holder.want("ticket", nil)
	if err := jsonUnmarshal(tf.Ticket, &tk); err != nil || tk.ID == "" {
		t.Fatalf("ticket frame %s: %v", tf.raw, err)
	}

	for typ, fields := range map[string]map[string]any{
		"open":          {"conversation": conv},
		"ticket_update": {"conversation": conv, "ticket": tk.ID, "status": "in_progress", "note": "x"},
		"ticket_open":   {"conversation": conv, "kind": "fault", "category": "broadband_down", "summary": "y"},
		"reply":         {"conversation": conv, "text": "冒充", "client_id": "x1"},
		"note":          {"conversation": conv, "text": "备注", "client_id": "x2"},
		"close":         {"conversation": conv, "code": "resolved", "summary": "z"},
	} {
		if f := other.do(typ, fields); f.Type != "error" || f.Code != "not_yours" {
			t.Errorf("%s on another's conversation: %s, want not_yours", typ, f.raw)
		}
	}
	if st := ticketOf(t, g, tk.ID); st != "new" {
		t.Errorf("the ticket is %s after the other agent's attempts, want new", st)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// ticketOf reads a ticket's status through the API.
func ticketOf(t *testing.T, g *gw, id string) string {
	t.Helper()
	st, body := newAPI(t, g).call("GET", "/tickets/"+id, nil, "")
	if st != http.StatusOK {
		t.Fatalf("ticket %s: %d", id, st)
	}
	s, _ := body["status"].(string)
	return s
}
