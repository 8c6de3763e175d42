package main

import (
	"maps"
	"testing"
)

// benchLoad lifts the web chat's per-connection limits for load.
var benchLoad = map[string]string{
	"HOTLINE_WEBCHAT_RATE_PER_SECOND": "1000000",
	"HOTLINE_WEBCHAT_RATE_BURST":      "1000000",
	// Each client is one subscriber asking as fast as it can.
	"HOTLINE_DIALOG_ANSWERS_PER_MINUTE": "0",
}

// BenchmarkInstances measures web chat round trips through gateway
// processes: one embedded, one on PostgreSQL and Redis, and two on the
// same PostgreSQL and Redis with the connections split between them, in
// the same run and with the same clients.
func BenchmarkInstances(b *testing.B) {
	b.Run("embedded", func(b *testing.B) {
		in := startInstance(b, maps.Clone(benchLoad))
		runRoundTripsOn(b, []string{in.addr}, true)
	})
	b.Run("shared-1", func(b *testing.B) {
		in := startInstance(b, sharedEnv(b, benchLoad))
		runRoundTripsOn(b, []string{in.addr}, true)
	})
	b.Run("shared-2", func(b *testing.B) {
		env := sharedEnv(b, benchLoad)
		x, y := startInstance(b, env), startInstance(b, env)
		runRoundTripsOn(b, []string{x.addr, y.addr}, true)
	})
}
