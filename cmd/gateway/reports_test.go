package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"hotline/reports"
)

// A scripted day on the gateway: one subscriber is answered by the bot,
// another is handed to an agent, answered and rates the service. The
// reports then show those visits, and only supervisors and the back
// office's tokens may read them.
func TestReports_ScriptedVisitsReachTheFigures(t *testing.T) {
	sup := testAgent{id: "wang.fang", name: "王芳", role: "supervisor", max: 3}
	g := startDesk(t, map[string]string{"HOTLINE_API_TOKEN": testToken}, liNa, sup)

	scriptedDay(t, g)

	supCookie, _ := signIn(t, g.addr, "wang.fang", testPassword)
	var s reports.Summary
	readReport(t, g.addr, "summary", supCookie, "", http.StatusOK, &s)

	web := channelOf(s, "webchat")
	if web.Visits != 2 || web.SelfService != 1 || web.Handoffs != 1 || web.Answered < 1 {
		t.Errorf("webchat figures %+v, want 2 visits: 1 self-service, 1 hand-off, at least 1 answer", web)
	}
	if s.FirstReply.Count != 1 {
		t.Errorf("first replies %+v, want the agent's one", s.FirstReply)
	}
	if len(s.Agents) != 1 || s.Agents[0].Agent != "li.na" || s.Agents[0].Name != "李娜" ||
		s.Agents[0].Count != 1 || s.Agents[0].Good != 1 {
		t.Errorf("agent ratings %+v, want li.na's 5", s.Agents)
	}

	readReport(t, g.addr, "summary", nil, testToken, http.StatusOK, &s)
	agentCookie, _ := signIn(t, g.addr, "li.na", testPassword)
	readReport(t, g.addr, "summary", agentCookie, "", http.StatusForbidden, nil)
	readReport(t, g.addr, "summary", nil, "", http.StatusUnauthorized, nil)
	readReport(t, g.addr, "summary", nil, "not-the-token-at-all", http.StatusUnauthorized, nil)

	var l reports.Live
	readReport(t, g.addr, "live", supCookie, "", http.StatusOK, &l)
	// The roster is who is on the desk: li.na, wrapping the conversation
	// up; the supervisor has not opened the console.
	if len(l.Roster) != 1 || l.Roster[0].ID != "li.na" || l.Roster[0].State != "wrap_up" ||
		l.Agents["wrap_up"] != 1 {
		t.Errorf("live roster %+v, want li.na in wrap-up", l.Roster)
	}
}

// readReport GETs a report with a session cookie or a bearer token and
// checks the status; into, when not nil, gets the JSON body.
func readReport(t *testing.T, addr, name string, ck *http.Cookie, token string, status int, into any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+reports.PathPrefix+name, nil)
	if ck != nil {
		req.AddCookie(ck)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("%s: %d %s, want %d", name, resp.StatusCode, body, status)
	}
	if into != nil {
		if err := json.Unmarshal(body, into); err != nil {
			t.Fatalf("%s: %v in %s", name, err, body)
		}
	}
	if strings.Contains(string(body), "13812345678") {
		t.Errorf("%s repeats a phone number", name)
	}
}

// scriptedDay has one web chat subscriber answered by the bot and another
// handed to li.na, who replies and closes; the subscriber rates it 5.
func scriptedDay(t *testing.T, g *gw) {
	t.Helper()
	self := dial(t, g.addr, nil)
	self.hello("", "")
	if _, reply := self.ask("q1", "话费余额怎么查"); reply.From != "bot" {
		t.Fatalf("the bot did not answer: %+v", reply)
	}

	agent := openConsole(t, g.addr, "li.na")
	agent.ready()
	sub := dial(t, g.addr, nil)
	sub.hello("", "")
	sub.send(map[string]string{"type": "message", "client_id": "s1", "text": "转人工"})
	sub.next("system")
	conv := agent.want("assigned", nil).View.Conversation
	agent.must("reply", map[string]any{"conversation": conv, "client_id": "a1", "text": "您好，请讲"})
	sub.until(func(f frame) bool { return f.Type == "message" && f.From == "agent" })
	agent.must("close", map[string]any{"conversation": conv, "code": "resolved", "summary": "已解答"})
	sub.next("system") // the rating question
	sub.ask("s2", "5")

}

func channelOf(s reports.Summary, name string) reports.ChannelSummary {
	for _, c := range s.Channels {
		if c.Channel == name {
			return c
		}
	}
	return reports.ChannelSummary{}
}
