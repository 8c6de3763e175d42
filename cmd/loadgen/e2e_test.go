package main

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// runSpawned runs loadgen with -spawn and the extra flags for 10 s at a
// small rate and checks that the check passed and every channel, the
// agents and the fault form had traffic.
func runSpawned(t *testing.T, extra ...string) {
	if testing.Short() {
		t.Skip("builds and runs the gateway")
	}
	args := append([]string{"-spawn", "-duration", "10s", "-rate", "12", "-subscribers", "9",
		"-mix", "webchat=1,wechat=1,sms=1", "-fault-share", "0.35", "-agent-share", "0.3", "-agents", "2",
		"-wechat-mode", "safe", "-think", "600ms"}, extra...)
	var out bytes.Buffer
	o, err := parseOptions(args, &out)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := execute(context.Background(), o, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	rep.writeText(&out)
	t.Log(out.String())
	if !rep.Passed {
		t.Fatalf("the check failed: %v", rep.First)
	}
	if len(rep.Channels) != 3 {
		t.Fatalf("channels reported: %+v", rep.Channels)
	}
	for _, c := range rep.Channels {
		if c.Sent == 0 || c.Answered != c.Sent {
			t.Errorf("%s: %d sent, %d answered", c.Channel, c.Sent, c.Answered)
		}
	}
	if rep.AgentCloses == 0 || rep.Faults == 0 {
		t.Errorf("agents closed %d conversations and %d faults were reported; want some of each", rep.AgentCloses, rep.Faults)
	}
}

func TestSpawnedRunPasses(t *testing.T) { runSpawned(t) }

// The same run on PostgreSQL and Redis, two instances; only with
// HOTLINE_REQUIRE_SERVICES=1, as the gateway's own shared tests.
func TestSpawnedSharedRunPasses(t *testing.T) {
	if os.Getenv("HOTLINE_REQUIRE_SERVICES") != "1" {
		t.Skip("set HOTLINE_REQUIRE_SERVICES=1 to run on PostgreSQL and Redis at 127.0.0.1")
	}
	if err := servicesUp(); err != nil {
		t.Fatal(err)
	}
	runSpawned(t, "-spawn-shared", "-instances", "2")
}
