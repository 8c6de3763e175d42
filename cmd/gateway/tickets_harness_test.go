package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"hotline/store/sqldb/sqldbtest"
)

// testToken is the back-office token the ticket tests give the gateway
// through HOTLINE_API_TOKEN.
const testToken = "test-token-0123456789abcdef"

// apiClient calls the gateway's REST API with the test token.
type apiClient struct {
	t    *testing.T
	base string
}

func newAPI(t *testing.T, g *gw) *apiClient {
	return &apiClient{t: t, base: "http://" + g.addr + "/api/v1"}
}

// call sends a request with the token (and an Idempotency-Key when key is
// set) and returns the status and the decoded body.
func (a *apiClient) call(method, path string, body any, key string) (int, map[string]any) {
	a.t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	if len(data) > 0 {
		if err := json.Unmarshal(data, &out); err != nil {
			a.t.Fatalf("%s %s: decode %q: %v", method, path, data, err)
		}
	}
	return resp.StatusCode, out
}

// ticketIDIn finds a ticket number in a reply.
var ticketIDIn = regexp.MustCompile(`TK\d{8}-\d{6}`)

// conversation is a subscriber in the web chat, answering the bot.
type conversation struct {
	*client
	session string
	n       int
}

// startChat opens a web chat session on g.
func startChat(t *testing.T, g *gw) *conversation {
	c := dial(t, g.addr, nil)
	w, _ := c.hello("", "")
	return &conversation{client: c, session: w.Session}
}

// say sends text and returns the bot's reply.
func (c *conversation) say(text string) frame {
	c.t.Helper()
	c.n++
	_, reply := c.ask(fmt.Sprintf("m%d", c.n), text)
	return reply
}

// press sends a quick reply's payload and returns the bot's reply.
func (c *conversation) press(label, payload string) frame {
	c.t.Helper()
	c.n++
	id := fmt.Sprintf("p%d", c.n)
	c.send(map[string]string{"type": "message", "client_id": id, "text": label, "payload": payload})
	f, _ := c.until(func(f frame) bool { return f.Type == "message" && f.From == "bot" })
	return f
}

// notice waits for a message the bot sends without being asked, such as
// news of a ticket, whose text contains want.
func (c *conversation) notice(want string) frame {
	c.t.Helper()
	f, _ := c.until(func(f frame) bool {
		return f.Type == "message" && f.From != "subscriber" && strings.Contains(f.Text, want)
	})
	return f
}

// broadbandAnswers answer the broadband fault form's questions, keyed by
// a word of the question.
var broadbandAnswers = []struct{ asks, answer string }{
	{"宽带账号", "ad12345678"},
	{"详细地址", ""}, // the address under test
	{"哪个区", ""},  // the area under test
	{"什么时候开始", "今天"},
	{"电话号码", "13812345678"},
	{"什么时间方便", "下午"},
}

// reportBroadband reports a broadband fault in area at address, answering
// each question the bot asks, one at a time, up to the summary, which it
// returns. It fails when a question comes that it has no answer for, or
// the same question is asked twice.
func (c *conversation) reportBroadband(area, address string) frame {
	c.t.Helper()
	r := c.say("家里宽带断了，一直连不上")
	asked := map[string]bool{}
	for range 10 {
		if strings.Contains(r.Text, "请核对") {
			return r
		}
		answer := ""
		for _, a := range broadbandAnswers {
			if strings.Contains(r.Text, a.asks) {
				if asked[a.asks] {
					c.t.Fatalf("the bot asked again: %q", r.Text)
				}
				asked[a.asks] = true
				answer = a.answer
				switch a.asks {
				case "详细地址":
					answer = address
				case "哪个区":
					answer = area
				}
				break
			}
		}
		if answer == "" {
			c.t.Fatalf("unexpected question %q", r.Text)
		}
		r = c.say(answer)
	}
	c.t.Fatalf("no summary after 10 answers; last reply %q", r.Text)
	return r
}

// confirm presses the summary's confirm button and returns the ticket
// number from the reply.
func (c *conversation) confirm(summary frame) (string, frame) {
	c.t.Helper()
	for _, q := range summary.QuickReplies {
		if q.Payload == "confirm" {
			r := c.press(q.Label, q.Payload)
			id := ticketIDIn.FindString(r.Text)
			if id == "" {
				c.t.Fatalf("confirm reply %q has no ticket number", r.Text)
			}
			return id, r
		}
	}
	c.t.Fatalf("summary %q has no confirm button", summary.Text)
	return "", frame{}
}

// ticketEnv is the environment of a gateway with the test API token.
func ticketEnv(extra map[string]string) map[string]string {
	env := map[string]string{
		"HOTLINE_API_TOKEN": testToken,
		// A test answers faster than a person types.
		"HOTLINE_WEBCHAT_RATE_PER_SECOND": "100",
		"HOTLINE_WEBCHAT_RATE_BURST":      "100",
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// postgresURL returns a URL of a fresh PostgreSQL schema of the test's
// own (see sqldbtest.Schema).
func postgresURL(t *testing.T) string {
	t.Helper()
	return sqldbtest.Schema(t)
}
