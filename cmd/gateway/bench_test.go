package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// benchConns is how many clients talk at once in the round-trip benchmarks.
const benchConns = 32

// BenchmarkRoundTrip compares the gateway's web chat (message in, stored,
// answered from the knowledge base, answer out) with a bare gorilla
// websocket echo server, in the same run and with the same clients.
func BenchmarkRoundTrip(b *testing.B) {
	b.Run("echo", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(echoHandler))
		defer srv.Close()
		addr := strings.TrimPrefix(srv.URL, "http://")
		runRoundTrips(b, addr, false)
	})
	b.Run("gateway", func(b *testing.B) {
		addr, stop := benchGateway(b)
		defer stop()
		runRoundTrips(b, addr, true)
	})
}

func echoHandler(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	for {
		kind, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		if ws.WriteMessage(kind, data) != nil {
			return
		}
	}
}

// benchGateway runs the gateway with limits raised for load.
func benchGateway(b *testing.B) (string, func()) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	env := map[string]string{
		"HOTLINE_WEBCHAT_RATE_PER_SECOND":   "1000000",
		"HOTLINE_WEBCHAT_RATE_BURST":        "1000000",
		"HOTLINE_DIALOG_ANSWERS_PER_MINUTE": "0",
		"HOTLINE_LOG_LEVEL":                 "error",
		"HOTLINE_STORE_SYNCHRONOUS":         os.Getenv("HOTLINE_STORE_SYNCHRONOUS"),
	}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{
			Args:   []string{"-config", testConfig(b), "-addr", "127.0.0.1:0", "-data", b.TempDir()},
			Getenv: func(k string) string { return env[k] },
			Ready:  func(a string) { ready <- a },
		})
	}()
	select {
	case a := <-ready:
		return a, func() { cancel(); <-done }
	case err := <-done:
		b.Fatalf("gateway: %v", err)
	}
	return "", nil
}

// runRoundTrips spreads b.N round trips over benchConns connections and
// reports round trips per second.
func runRoundTrips(b *testing.B, addr string, gateway bool) {
	runRoundTripsOn(b, []string{addr}, gateway)
}

// runRoundTripsOn is runRoundTrips with the connections spread over
// several servers in turn.
func runRoundTripsOn(b *testing.B, addrs []string, gateway bool) {
	conns := make([]*websocket.Conn, benchConns)
	for i := range conns {
		ws, _, err := websocket.DefaultDialer.Dial("ws://"+addrs[i%len(addrs)]+"/chat/ws", nil)
		if err != nil {
			b.Fatal(err)
		}
		defer ws.Close()
		if gateway {
			benchHello(b, ws)
		}
		conns[i] = ws
	}

	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for i, ws := range conns {
		wg.Go(func() {
			for n := next.Add(1); n <= int64(b.N); n = next.Add(1) {
				if err := roundTrip(ws, gateway, fmt.Sprintf("c%d-%d", i, n)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "roundtrips/s")
}

var benchQuestions = []string{"话费余额怎么查", "流量用了多少", "宽带怎么移机", "怎么开发票", "携号转网要什么条件"}

func benchHello(b *testing.B, ws *websocket.Conn) {
	if err := ws.WriteJSON(map[string]string{"type": "hello"}); err != nil {
		b.Fatal(err)
	}
	var f frame
	if err := ws.ReadJSON(&f); err != nil || f.Type != "welcome" {
		b.Fatalf("hello: %+v %v", f, err)
	}
}

// roundTrip sends one message and waits for its answer (the gateway) or
// its echo.
func roundTrip(ws *websocket.Conn, gateway bool, id string) error {
	text := benchQuestions[len(id)%len(benchQuestions)]
	msg, _ := json.Marshal(map[string]string{"type": "message", "client_id": id, "text": text})
	if err := ws.WriteMessage(websocket.TextMessage, msg); err != nil {
		return err
	}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return err
		}
		if !gateway {
			return nil
		}
		var f frame
		if err := json.Unmarshal(data, &f); err != nil {
			return err
		}
		if f.Type == "message" && f.From == "bot" {
			return nil
		}
		if f.Type == "error" {
			return fmt.Errorf("error frame %s", f.Code)
		}
	}
}

// BenchmarkIdleConnections opens 10,000 web chat connections from a
// separate client process, each with a session, and reports the gateway's
// heap and stack growth per connection. Set HOTLINE_BENCH_CONNS to change
// the count.
func BenchmarkIdleConnections(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("HOTLINE_BENCH_CONNS")); err == nil && v > 0 {
		n = v
	}
	addr, stop := benchGateway(b)
	defer stop()

	for range b.N {
		before := memInUse()
		client := startIdleClients(b, addr, n)
		after := memInUse()
		b.ReportMetric(float64(after-before)/float64(n), "bytes/conn")
		b.ReportMetric(float64(n), "conns")
		_ = client.Process.Kill()
		_ = client.Wait()
	}
}

// memInUse is the heap and goroutine stacks in use after a full GC.
func memInUse() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

// startIdleClients re-runs this test binary as a client process that opens
// n sessions and holds them; it returns once all are open.
func startIdleClients(b *testing.B, addr string, n int) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestIdleClientProcess$")
	cmd.Env = append(os.Environ(), "HOTLINE_IDLE_CLIENT="+addr+","+strconv.Itoa(n))
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}

	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if line := sc.Text(); line == "ready" {
			return cmd
		} else if strings.HasPrefix(line, "error") {
			b.Fatal(line)
		}
	}
	b.Fatal("client process ended before opening its connections")
	return nil
}

// TestIdleClientProcess is the client side of BenchmarkIdleConnections; it
// does nothing unless that benchmark started it.
func TestIdleClientProcess(t *testing.T) {
	spec := os.Getenv("HOTLINE_IDLE_CLIENT")
	if spec == "" {
		t.Skip("only runs as BenchmarkIdleConnections' client process")
	}
	addr, count, _ := strings.Cut(spec, ",")
	n, _ := strconv.Atoi(count)

	conns := make([]*websocket.Conn, 0, n)
	for i := range n {
		ws, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/chat/ws", nil)
		if err == nil {
			err = ws.WriteJSON(map[string]string{"type": "hello"})
		}
		if err == nil {
			_, _, err = ws.ReadMessage()
		}
		if err != nil {
			fmt.Printf("error: connection %d: %v\n", i, err)
			return
		}
		conns = append(conns, ws)
	}
	// Let the server's goroutines settle before it measures.
	time.Sleep(2 * time.Second)
	fmt.Println("ready")
	time.Sleep(10 * time.Minute)
	_ = conns
}
