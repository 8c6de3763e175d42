package console

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/crypto/bcrypt"

	"hotline/dialog"
	"hotline/handoff"
)

// fuzzEngine is the dialog engine for the console's fuzz target: every
// conversation has an empty transcript and every agent action succeeds.
type fuzzEngine struct{}

func (fuzzEngine) Transcript(context.Context, string, int) (dialog.Conversation, []dialog.Message, error) {
	return dialog.Conversation{}, nil, nil
}
func (fuzzEngine) AgentJoined(context.Context, dialog.AgentEvent) error      { return nil }
func (fuzzEngine) AgentSaid(context.Context, dialog.AgentEvent) error        { return nil }
func (fuzzEngine) AgentClosed(context.Context, dialog.AgentEvent) error      { return nil }
func (fuzzEngine) AgentLost(context.Context, string, handoff.Entry) error    { return nil }
func (fuzzEngine) QueueExpired(context.Context, string, handoff.Entry) error { return nil }
func (fuzzEngine) QueueMoved(context.Context, handoff.Entry, handoff.Estimate) error {
	return nil
}
func (fuzzEngine) AgentTransferred(context.Context, dialog.AgentEvent, bool) error { return nil }

// fuzzConsole is a console on in-memory stores with one signed-in
// supervisor and a conversation waiting on the desk, served on a local
// test server.
type fuzzConsole struct {
	url   string
	token handoff.Token
	mux   *http.ServeMux
}

func newFuzzConsole(f *testing.F) *fuzzConsole {
	ctx := context.Background()
	accounts, err := handoff.NewAccounts(handoff.NewMemAccountStore(), nil, nil, handoff.WithHashCost(bcrypt.MinCost))
	if err != nil {
		f.Fatal(err)
	}
	if _, err := accounts.Create(ctx, "", handoff.NewAccount{ID: "li.na", Name: "Li Na", Role: handoff.RoleSupervisor,
		Groups: []string{"general"}, MaxConcurrent: 3, Password: "a long enough password"}); err != nil {
		f.Fatal(err)
	}
	sessions, err := handoff.NewSessions(accounts, handoff.SessionConfig{})
	if err != nil {
		f.Fatal(err)
	}
	tok, err := sessions.SignIn(ctx, "li.na", "a long enough password")
	if err != nil {
		f.Fatal(err)
	}
	desk, err := handoff.NewDesk(handoff.NewMemStore(), nil, handoff.Config{}, nil)
	if err != nil {
		f.Fatal(err)
	}
	audit, err := handoff.NewAudit(handoff.NewMemAuditStore(), nil, nil)
	if err != nil {
		f.Fatal(err)
	}
	s, err := New(Config{Desk: desk, Accounts: accounts, Sessions: sessions, Audit: audit,
		Notes: handoff.NewMemNotes(), Engine: fuzzEngine{}, Groups: []string{"general", "billing"},
		WrapCodes: []Label{{Code: "solved", Zh: "已解决", En: "Solved"}}})
	if err != nil {
		f.Fatal(err)
	}
	if _, _, err := desk.Enqueue(ctx, handoff.Request{ConversationID: "conv-1", Channel: "webchat",
		Address: "s1", Group: "general"}); err != nil {
		f.Fatal(err)
	}
	mux := http.NewServeMux()
	s.Routes(mux)
	srv := httptest.NewServer(mux)
	f.Cleanup(srv.Close)
	return &fuzzConsole{url: "ws" + strings.TrimPrefix(srv.URL, "http") + "/agent/ws", token: tok, mux: mux}
}

// FuzzRequestFrames sends one fuzzed frame on a fresh console socket, as
// the agent's page would, and waits for its answer. The frame is read as
// the server reads it: one that is not a request object, lacks a type or
// a usable req, or names no known request is answered bad_frame; a ping
// gets a pong; any other request gets ok or an error with a known code,
// never internal, always carrying the request's req. The answer comes
// within a few seconds and the socket stays open, but for a frame over
// the size limit, which closes it with 1009.
func FuzzRequestFrames(f *testing.F) {
	fc := newFuzzConsole(f)
	for _, s := range []string{
		`{"type":"ping","req":"1"}`,
		`{"type":"state","req":"2","state":"ready"}`,
		`{"type":"state","req":"2","state":"asleep"}`,
		`{"type":"accept","req":"3","conversation":"conv-1"}`,
		`{"type":"open","req":"4","conversation":"conv-1"}`,
		`{"type":"reply","req":"5","conversation":"conv-1","client_id":"c-1","text":"您好"}`,
		`{"type":"note","req":"6","conversation":"conv-1","text":"call back"}`,
		`{"type":"transfer","req":"7","conversation":"conv-1","group":"billing","note":"bill"}`,
		`{"type":"transfer","req":"7","conversation":"conv-1","agent":"nobody"}`,
		`{"type":"close","req":"8","conversation":"conv-1","code":"solved","summary":"done"}`,
		`{"type":"reveal","req":"9","conversation":"conv-1","message":"m1","index":-1}`,
		`{"type":"reveal","req":"9","conversation":"conv-1","detail":"phone","index":9223372036854775807}`,
		`{"type":"ticket_open","req":"10","conversation":"conv-1","kind":"fault","category":"x","summary":"s"}`,
		`{"type":"ticket_update","req":"11","ticket":"TK-1","status":"closed","note":"\u0000"}`,
		`{"type":"reply","req":"12","conversation":"conv-1","client_id":"` + strings.Repeat("c", 200) + `","text":"` + strings.Repeat("长", 5000) + `"}`,
		`{"type":"accept","req":"` + strings.Repeat("r", 65) + `"}`,
		`{"type":"nope","req":"13"}`,
		`{"type":"","req":"14"}`,
		`{"type":"ping","req":1}`,
		`{"type":"ping","req":"15","index":1e400}`,
		`{"TYPE":"PING","Req":"16"}`,
		`{"type":"open","req":"17","conversation":"\u0000\ud800"}`,
		"{\"type\":\"open\",\"req\":\"18\",\"conversation\":\"\xff\"}",
		`[]`, `null`, `{{`, ``,
		strings.Repeat(`{"a":`, 1000) + `1` + strings.Repeat(`}`, 1000),
	} {
		f.Add(s)
	}

	f.Fuzz(func(t *testing.T, frame string) {
		h := http.Header{}
		h.Set("Cookie", cookieName+"="+string(fc.token))
		ws, resp, err := websocket.DefaultDialer.Dial(fc.url, h)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		resp.Body.Close()
		defer ws.Close()
		// A frame over the size limit makes the server close the socket:
		// cleanly with 1009, or, while the frame is still being written, by
		// a reset of the connection.
		tooBig := len(frame) > readLimit
		if err := ws.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
			if tooBig {
				return
			}
			t.Fatalf("write: %v", err)
		}

		var r request
		bad := json.Unmarshal([]byte(frame), &r) != nil || r.Type == ""
		_, known := actions[r.Type]
		bad = bad || len(r.Req) == 0 || len(r.Req) > 64 || !known

		_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		for {
			_, data, err := ws.ReadMessage()
			if tooBig && err != nil {
				return
			}
			if err != nil {
				t.Fatalf("no answer to a frame of %d bytes: %v", len(frame), err)
			}
			var got struct{ Type, Req, Code string }
			if err := json.Unmarshal(data, &got); err != nil {
				t.Fatalf("server frame %q is not JSON", data)
			}
			switch {
			case got.Type == "bye":
				t.Fatalf("the socket was closed after %q: %s", frame, data)
			case got.Type == "error" && got.Code == codeInternal:
				t.Fatalf("%q answered internal: %s", frame, data)
			case got.Type == "error" && errorTexts[got.Code] == [2]string{}:
				t.Fatalf("%q answered an unknown code: %s", frame, data)
			}
			if bad {
				if got.Type == "error" && got.Req == r.Req {
					if got.Code != codeBadFrame {
						t.Fatalf("%q answered %s, want bad_frame", frame, data)
					}
					return
				}
				if got.Type == "ok" || got.Type == "pong" {
					t.Fatalf("%q, not a request, answered %s", frame, data)
				}
				continue
			}
			switch {
			case r.Type == "ping" && got.Type == "pong":
				return
			case r.Type == "reveal" && got.Type == "revealed" && got.Req == r.Req:
				return
			case (got.Type == "ok" || got.Type == "error") && got.Req == r.Req:
				return
			}
		}
	})
}
