package main

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"
)

// process is the gateway binary running as its own process.
type process struct {
	cmd  *exec.Cmd
	addr string
}

// buildGateway compiles the gateway once for the test.
func buildGateway(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gateway")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var servingLine = regexp.MustCompile(`gateway serving.* addr=(\S+)`)

// startProcess runs the binary on a free port with the given data folder
// and waits until it logs that it serves.
func startProcess(t *testing.T, bin, dataDir string) *process {
	t.Helper()
	return startProcessAt(t, bin, dataDir, "127.0.0.1:0")
}

// startProcessAt is startProcess on a given address.
func startProcessAt(t *testing.T, bin, dataDir, addr string) *process {
	t.Helper()
	cmd := exec.Command(bin, "-config", "../../configs/gateway.yaml",
		"-addr", addr, "-data", dataDir)
	cmd.Env = os.Environ()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	addrCh := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				addrCh <- m[1]
			}
		}
	}()
	select {
	case a := <-addrCh:
		if _, _, err := net.SplitHostPort(a); err != nil {
			t.Fatalf("bad address %q", a)
		}
		return &process{cmd: cmd, addr: a}
	case <-time.After(30 * time.Second):
		t.Fatal("gateway process did not start")
		return nil
	}
}

// kill -9 in the middle of a conversation: after a restart on the same
// data folder the client resumes with its whole history, and a message
// that was in flight when the process died is kept exactly once.
func TestGateway_SurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildGateway(t)
	dir := t.TempDir()

	p := startProcess(t, bin, dir)
	c := dial(t, p.addr, nil)
	w, _ := c.hello("", "")
	c.ask("m1", "怎么查话费")
	c.ask("m2", "怎么开发票")

	// Send one more and kill the process without waiting for the ack.
	c.send(map[string]string{"type": "message", "client_id": "m3", "text": "宽带怎么续费"})
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()

	p2 := startProcess(t, bin, dir)
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
