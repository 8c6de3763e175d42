package main

import "testing"

// kill -9 in the middle of a conversation: after a restart on the same
// data folder the client resumes with its whole history, and a message
// that was in flight when the process died is kept exactly once.
func TestGateway_SurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()

	p := launch(t, nil, dir, "127.0.0.1:0")
	c := dial(t, p.addr, nil)
	w, _ := c.hello("", "")
	c.ask("m1", "怎么查话费")
	c.ask("m2", "怎么开发票")

	// Send one more and kill the process without waiting for the ack.
	c.send(map[string]string{"type": "message", "client_id": "m3", "text": "宽带怎么续费"})
	p.kill()

	p2 := launch(t, nil, dir, "127.0.0.1:0")
	c2 := dial(t, p2.addr, nil)
	w2, history := c2.hello(w.Session, "")
	if !w2.Resumed || len(history) < 4 {
		t.Fatalf("after kill -9: welcome %+v, %d messages; want the 4 acknowledged ones", w2, len(history))
	}

	// The client resends what was never acknowledged, as the page does.
	c2.send(map[string]string{"type": "message", "client_id": "m3", "text": "宽带怎么续费"})
	_, _ = c2.until(func(f frame) bool { return f.Type == "ack" && f.ClientID == "m3" })

	c3 := dial(t, p2.addr, nil)
	_, all := c3.hello(w.Session, "")
	count := 0
	for _, m := range all {
		if m.ClientID == "m3" {
			count++
		}
	}
	if count != 1 {
		t.Fatalf("the in-flight message is in the transcript %d times, want once", count)
	}
	if last := all[len(all)-1]; last.From != "bot" {
		t.Errorf("the transcript ends with %+v, want the answer to the in-flight message", last)
	}
}
