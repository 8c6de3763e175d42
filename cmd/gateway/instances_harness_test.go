package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"hotline/store/sqldb/sqldbtest"
)

// The gateway binary the multi-instance tests run, built once per test
// binary from this package.
var gatewayBin struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// builtGateway returns the path of the gateway binary, building it the
// first time.
func builtGateway(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the gateway binary as processes of its own")
	}
	gatewayBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "hotline-gateway-")
		if err != nil {
			gatewayBin.err = err
			return
		}
		gatewayBin.path = filepath.Join(dir, "gateway")
		cmd := exec.Command("go", "build", "-o", gatewayBin.path, ".")
		gatewayBin.out, gatewayBin.err = cmd.CombinedOutput()
	})
	if gatewayBin.err != nil {
		t.Fatalf("build the gateway: %v\n%s", gatewayBin.err, gatewayBin.out)
	}
	return gatewayBin.path
}

// instance is a gateway running as a process of its own.
type instance struct {
	t    testing.TB
	addr string
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{}
}

// instanceLine is the log line that tells the instance's address.
var instanceLine = regexp.MustCompile(`msg="gateway serving" addr=(\S+)`)

// startInstance runs the gateway binary with the shipped config, a data
// folder of its own and env on top of a clean environment, and waits
// until it serves. It is stopped (SIGTERM) when the test ends.
func startInstance(t testing.TB, env map[string]string) *instance {
	t.Helper()
	return launch(t, env, t.TempDir(), "127.0.0.1:0")
}

// launch is startInstance with a given data folder and address.
func launch(t testing.TB, env map[string]string, dataDir, addr string) *instance {
	t.Helper()
	return launchConfig(t, testConfig(t), env, dataDir, addr)
}

// startDeskInstance is startInstance with the given agent accounts in its
// settings.
func startDeskInstance(t testing.TB, env map[string]string, agents ...testAgent) *instance {
	t.Helper()
	o := deskOptions(t, t.TempDir(), nil, agents...)
	return launchConfig(t, o.Args[1], env, t.TempDir(), "127.0.0.1:0")
}

// launchConfig runs the binary with a given settings file.
func launchConfig(t testing.TB, config string, env map[string]string, dataDir, addr string) *instance {
	t.Helper()
	cmd := exec.Command(builtGateway(t), "-config", config, "-addr", addr, "-data", dataDir)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if level := os.Getenv("HOTLINE_SCAN_LOG_LEVEL"); level != "" {
		cmd.Env = append(cmd.Env, "HOTLINE_LOG_LEVEL="+level)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in := &instance{t: t, cmd: cmd, logs: captureLog(t.Name()), done: make(chan struct{})}
	served := make(chan string, 1)
	go in.readLogs(stderr, served)
	go func() { _ = cmd.Wait(); close(in.done) }()
	t.Cleanup(in.stop)
	select {
	case in.addr = <-served:
	case <-in.done:
		t.Fatalf("instance exited before serving:\n%s", in.logs.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("instance did not serve in time:\n%s", in.logs.String())
	}
	return in
}

// readLogs keeps the instance's log and reports its address once.
func (in *instance) readLogs(stderr interface{ Read([]byte) (int, error) }, addr chan<- string) {
	sc := bufio.NewScanner(stderr)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	told := false
	for sc.Scan() {
		line := sc.Text()
		_, _ = in.logs.Write([]byte(line + "\n"))
		if m := instanceLine.FindStringSubmatch(line); m != nil && !told {
			addr <- m[1]
			told = true
		}
	}
}

// kill ends the instance with SIGKILL, as a crash would.
func (in *instance) kill() {
	_ = in.cmd.Process.Kill()
	<-in.done
}

// stop ends the instance with SIGTERM, waiting for its graceful
// shutdown, and logs its output when the test failed.
func (in *instance) stop() {
	select {
	case <-in.done:
	default:
		_ = in.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-in.done:
		case <-time.After(15 * time.Second):
			in.kill()
		}
	}
	if in.t.Failed() {
		in.t.Logf("instance %s logs:\n%s", in.addr, in.logs.String())
	}
}

// sharedEnv is the environment of instances sharing a fresh PostgreSQL
// schema and a Redis key prefix of the test's own.
func sharedEnv(t testing.TB, extra map[string]string) map[string]string {
	t.Helper()
	if !redisAnswers() {
		msg := "Redis is needed for this test: start redis-server on 127.0.0.1:6379"
		if os.Getenv("HOTLINE_REQUIRE_SERVICES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	env := map[string]string{
		"HOTLINE_DATABASE_URL": sqldbtest.Schema(t),
		"HOTLINE_REDIS_URL":    "redis://127.0.0.1:6379/0",
		"HOTLINE_REDIS_PREFIX": "test-" + hex.EncodeToString(b),
		"HOTLINE_LOG_LEVEL":    "info",
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}
