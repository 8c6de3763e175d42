package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// spawned are gateway processes loadgen built and started.
type spawned struct {
	dir     string
	procs   []*exec.Cmd
	exited  []chan struct{}
	targets []*url.URL
	shared  *sharedStores
	logs    io.WriteCloser
}

// spawnPlan is what the spawned gateways are told.
type spawnPlan struct {
	wechat    wxOptions
	sms       smsOptions
	wechatAPI string
	twilioAPI string
	accounts  []account
	apiToken  string
}

// newSpawnPlan makes fresh credentials for the spawned gateways.
func newSpawnPlan(o *options) spawnPlan {
	p := spawnPlan{apiToken: randHex(16)}
	p.wechat = wxOptions{token: "lg" + randHex(8), appID: "wx" + randHex(8), secret: randHex(16),
		mode: o.wechat.mode, path: "/wechat"}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	p.wechat.aesKey = strings.TrimRight(base64.StdEncoding.EncodeToString(key), "=")
	p.sms = smsOptions{channel: "twilio", sid: "AC" + randHex(16), token: randHex(16),
		from: "+8610690000", publicURL: "https://hotline.loadgen.test"}
	n := max(o.agents, 1)
	for i := range n {
		p.accounts = append(p.accounts, account{name: fmt.Sprintf("lg.agent%d", i+1), password: randHex(8)})
	}
	return p
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// spawnGateways builds the gateway and starts n instances with the plan.
func spawnGateways(ctx context.Context, o *options, p spawnPlan) (*spawned, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "loadgen-")
	if err != nil {
		return nil, err
	}
	s := &spawned{dir: dir}
	if err := s.setUp(ctx, root, o, p); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// setUp builds, writes the settings and starts the instances.
func (s *spawned) setUp(ctx context.Context, root string, o *options, p spawnPlan) error {
	bin := filepath.Join(s.dir, "gateway")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/gateway")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("build the gateway: %v\n%s", err, out)
	}
	config, err := writeSpawnConfig(root, s.dir, p)
	if err != nil {
		return err
	}
	env := spawnEnv(p)
	if o.spawnShared {
		if s.shared, err = newSharedStores(ctx); err != nil {
			return err
		}
		for k, v := range s.shared.env() {
			env = append(env, k+"="+v)
		}
	}
	s.logs = nopCloser{io.Discard}
	if o.gatewayLogs != "" {
		if s.logs, err = os.Create(o.gatewayLogs); err != nil {
			return err
		}
	}
	for i := range o.instances {
		if err := s.start(bin, config, env, i); err != nil {
			return err
		}
	}
	return nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// spawnEnv is the spawned gateways' environment.
func spawnEnv(p spawnPlan) []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"HOTLINE_LOG_LEVEL=warn",
		"HOTLINE_API_TOKEN=" + p.apiToken,
		"HOTLINE_WECHAT_APPID=" + p.wechat.appID,
		"HOTLINE_WECHAT_SECRET=" + p.wechat.secret,
		"HOTLINE_WECHAT_TOKEN=" + p.wechat.token,
		"HOTLINE_WECHAT_AES_KEY=" + p.wechat.aesKey,
		"HOTLINE_WECHAT_API_URL=" + p.wechatAPI,
		// A simulated subscriber answers faster than a person types.
		"HOTLINE_WEBCHAT_RATE_PER_SECOND=100",
		"HOTLINE_WEBCHAT_RATE_BURST=100",
	}
}

// start runs instance i on a free loopback port and waits until it
// accepts connections.
func (s *spawned) start(bin, config string, env []string, i int) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	data := filepath.Join(s.dir, fmt.Sprintf("data%d", i+1))
	cmd := exec.Command(bin, "-config", config, "-addr", addr, "-data", data)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	s.procs = append(s.procs, cmd)
	s.exited = append(s.exited, exited)
	if err := waitListening(addr, exited, 60*time.Second); err != nil {
		return fmt.Errorf("gateway instance %d: %w (see -gateway-logs)", i+1, err)
	}
	s.targets = append(s.targets, &url.URL{Scheme: "http", Host: addr})
	return nil
}

// freePort is a loopback port nothing listens on now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitListening polls addr until it accepts a connection.
func waitListening(addr string, exited <-chan struct{}, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("exited at start")
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			_ = c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("did not listen in time")
}

// stop ends the instances (SIGTERM, then SIGKILL after 15 s) and removes
// what setUp made.
func (s *spawned) stop() {
	for i, cmd := range s.procs {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited[i]:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-s.exited[i]
		}
	}
	if s.shared != nil {
		s.shared.drop()
	}
	if s.logs != nil {
		_ = s.logs.Close()
	}
	_ = os.RemoveAll(s.dir)
}

// moduleRoot is the folder of the hotline module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	mod := strings.TrimSpace(string(out))
	if err != nil || mod == "" || mod == os.DevNull {
		return "", errors.New("-spawn builds ./cmd/gateway: run loadgen inside the hotline module")
	}
	return filepath.Dir(mod), nil
}
