package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// FuzzSignin posts fuzzed bodies to the sign-in endpoint, each from an
// address of its own so the throttle never answers first. Every answer
// is JSON with a 200, 400 or 401; a 200, with its HttpOnly session
// cookie, only for the supervisor's own name and password; never a 5xx.
func FuzzSignin(f *testing.F) {
	c := newFuzzConsole(f)
	f.Add(`{"name":"li.na","password":"a long enough password"}`)
	f.Add(`{"name":" li.na ","password":"a long enough password"}`)
	f.Add(`{"name":"li.na","password":"wrong"}`)
	f.Add(`{"name":"","password":""}`)
	f.Add(`{"name":"li.na"}`)
	f.Add(`{"name":"li.na","password":"a long enough password","extra":[1,2,{}]}`)
	f.Add(`{"name":1,"password":true}`)
	f.Add(`[]`)
	f.Add(`null`)
	f.Add(`{"name":"` + strings.Repeat("a", 5000) + `","password":"x"}`)
	f.Add("{\"name\":\"li.na\\u0000\",\"password\":\"x\"}")
	var n atomic.Uint32
	f.Fuzz(func(t *testing.T, body string) {
		i := n.Add(1)
		req := httptest.NewRequest(http.MethodPost, "/agent/api/signin", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:40000", i>>16&255, i>>8&255, i&255)
		rec := httptest.NewRecorder()
		c.mux.ServeHTTP(rec, req)

		var answer map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			t.Fatalf("status %d, answer not JSON: %q", rec.Code, rec.Body.String())
		}
		// Read as the server reads it: the first JSON value of the body.
		var sent signinBody
		right := json.NewDecoder(strings.NewReader(body)).Decode(&sent) == nil &&
			strings.TrimSpace(sent.Name) == "li.na" && sent.Password == "a long enough password"
		switch rec.Code {
		case http.StatusOK:
			cookie := rec.Result().Cookies()
			if !right || len(cookie) != 1 || cookie[0].Name != cookieName || !cookie[0].HttpOnly {
				t.Fatalf("signed in with %q: cookies %v", body, cookie)
			}
		case http.StatusBadRequest, http.StatusUnauthorized:
			if right && len(body) <= maxSigninBody {
				t.Fatalf("the right name and password %q got %d %s", body, rec.Code, rec.Body.String())
			}
		default:
			t.Fatalf("%q: status %d %s", body, rec.Code, rec.Body.String())
		}
	})
}
