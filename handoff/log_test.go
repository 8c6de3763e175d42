package handoff

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestDesk_LogsNoPersonalData runs a conversation through the desk and
// checks that the log names it by id and never shows the address, the
// note or the wrap-up summary.
func TestDesk_LogsNoPersonalData(t *testing.T) {
	ctx := context.Background()
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	clk := &testClock{now: t0}
	d, err := NewDesk(NewMemStore(), clk.Now, Config{Grace: time.Minute, WaitLimit: time.Hour}, log)
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{"13812345678", "110101199003074321", "5 Garden Road"}
	readyAgent(t, d, "a1", 1)
	readyAgent(t, d, "a2", 1)
	_, _, err = d.Enqueue(ctx, Request{ConversationID: "conv-7", Channel: "sms",
		Address: "+86" + secrets[0], Note: "ID " + secrets[1], Reason: ReasonComplaint})
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		func() error { _, err := d.Route(ctx); return err },
		func() error {
			_, err := d.Transfer(ctx, "conv-7", "a1", Target{AgentID: "a2"}, secrets[1])
			return err
		},
		func() error {
			_, err := d.Close(ctx, "conv-7", "a2", WrapUp{Code: "solved", Summary: secrets[2]})
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	slog.New(log.Handler()).Info("entry", "entry", Entry{Address: secrets[0], Note: secrets[1]})

	out := buf.String()
	if !strings.Contains(out, "conv-7") {
		t.Fatalf("log does not name the conversation:\n%s", out)
	}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("log shows %q:\n%s", s, out)
		}
	}
}
