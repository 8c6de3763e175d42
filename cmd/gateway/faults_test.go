package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// ownPostgres is a PostgreSQL server of the test's own, in a temporary
// cluster, so the test can stop and start it without disturbing the
// shared server other tests use.
type ownPostgres struct {
	t    *testing.T
	bin  string // the folder of initdb and pg_ctl
	dir  string // the cluster
	port string
}

// startOwnPostgres makes a cluster owned by the postgres user (the
// server refuses to run as root) and starts it. Without PostgreSQL's
// programs it skips, or fails under HOTLINE_REQUIRE_SERVICES=1.
func startOwnPostgres(t *testing.T) *ownPostgres {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	pgUser, err := user.Lookup("postgres")
	if len(bins) == 0 || err != nil {
		msg := "PostgreSQL's server programs are needed for this test (apt-get install postgresql)"
		if os.Getenv("HOTLINE_REQUIRE_SERVICES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	base, err := os.MkdirTemp("", "hotline-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	uid, _ := strconv.Atoi(pgUser.Uid)
	gid, _ := strconv.Atoi(pgUser.Gid)
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "cluster")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}

	_, port, _ := net.SplitHostPort(freeAddr(t))
	p := &ownPostgres{t: t, bin: filepath.Dir(bins[0]), dir: dir, port: port}
	p.asPostgres("initdb", "-D", dir, "-A", "trust", "-U", "postgres", "--no-sync")
	p.start()
	t.Cleanup(func() { p.stop("immediate") })
	return p
}

// url is the cluster's postgres database.
func (p *ownPostgres) url() string {
	return "postgres://postgres@127.0.0.1:" + p.port + "/postgres?sslmode=disable"
}

func (p *ownPostgres) start() {
	p.t.Helper()
	p.asPostgres("pg_ctl", "-D", p.dir, "-w", "-l", filepath.Join(p.dir, "server.log"), "-o",
		fmt.Sprintf("-p %s -k %s -c listen_addresses=127.0.0.1 -c fsync=off", p.port, p.dir), "start")
}

// stop stops the server; "immediate" is as abrupt as a crash.
func (p *ownPostgres) stop(mode string) {
	cmd := exec.Command("runuser", "-u", "postgres", "--", filepath.Join(p.bin, "pg_ctl"),
		"-D", p.dir, "-m", mode, "-w", "stop")
	_ = cmd.Run()
}

func (p *ownPostgres) asPostgres(program string, args ...string) {
	p.t.Helper()
	cmd := exec.Command("runuser", append([]string{"-u", "postgres", "--",
		filepath.Join(p.bin, program)}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		p.t.Fatalf("%s: %v\n%s", program, err, out)
	}
}

// A PostgreSQL crash and restart while subscribers write: the instance
// says not ready, refuses what it cannot store (the page resends it), and
// serves again by itself; every message it acknowledged is in the
// transcript once, with exactly one answer.
func TestFaults_PostgresRestart(t *testing.T) {
	pg := startOwnPostgres(t)
	in := startInstance(t, sharedEnv(t, map[string]string{"HOTLINE_DATABASE_URL": pg.url()}))

	load := startChatLoad(t, in.addr, 6)
	load.waitAcked(t, 12)
	pg.stop("immediate")
	waitUntil(t, "not ready without PostgreSQL", func() bool {
		return readiness(t, in.addr) == http.StatusServiceUnavailable
	})
	time.Sleep(time.Second) // subscribers keep writing into the outage
	pg.start()
	waitUntil(t, "ready again with PostgreSQL back", func() bool { return readiness(t, in.addr) == http.StatusOK })
	load.waitAcked(t, load.total()+12)
	load.stop(t)

	if load.refusals() == 0 {
		t.Error("no message was refused while the database was down; some must have been acknowledged unstored")
	}
	load.check(t, in.addr)
}

// chatLoad is a few web chat subscribers writing one question after
// another, each resent under the same id until it is acknowledged, as
// the page does.
type chatLoad struct {
	subs []*loadSub
	quit chan struct{}
	done chan struct{}
}

// loadSub is one subscriber of a chatLoad.
type loadSub struct {
	c       *client
	addr    string // where it reconnects when its socket breaks
	session string
	mu      sync.Mutex
	acked   []string
	refused int
	redials int
	err     error
	tear    int // when set, every tear-th message's first try breaks the socket mid-message
	torn    int
}

var loadQuestions = []string{"话费余额怎么查", "营业厅几点开门", "怎么办理宽带", "流量用完了怎么办"}

func startChatLoad(t *testing.T, addr string, n int) *chatLoad {
	t.Helper()
	l := &chatLoad{quit: make(chan struct{}), done: make(chan struct{})}
	for range n {
		c := dial(t, addr, nil)
		w, _ := c.hello("", "")
		l.subs = append(l.subs, &loadSub{c: c, addr: addr, session: w.Session})
	}
	var wg sync.WaitGroup
	for i, s := range l.subs {
		wg.Go(func() { s.run(i, l.quit) })
	}
	go func() { wg.Wait(); close(l.done) }()
	return l
}

// run writes questions until quit, each until acknowledged and answered.
func (s *loadSub) run(who int, quit <-chan struct{}) {
	for n := 0; ; n++ {
		id := fmt.Sprintf("s%d-m%d", who, n)
		for {
			select {
			case <-quit:
				return
			default:
			}
			text := loadQuestions[n%len(loadQuestions)]
			var outcome string
			var err error
			if s.tear > 0 && n%s.tear == s.tear-1 && s.torn <= n/s.tear {
				s.tearWhileSending(id, text)
				err = errTorn
			} else {
				outcome, err = s.try(id, text)
			}
			if err != nil {
				// The socket broke: reconnect, as the page does, and send
				// the message again under the same id.
				if err := s.redial(quit); err != nil {
					s.mu.Lock()
					s.err = fmt.Errorf("%s: %w", id, err)
					s.mu.Unlock()
					return
				}
				continue
			}
			if outcome == "ack" {
				s.mu.Lock()
				s.acked = append(s.acked, id)
				s.mu.Unlock()
				break
			}
			s.mu.Lock()
			s.refused++
			s.mu.Unlock()
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// errTorn stands for a socket the test broke on purpose.
var errTorn = errors.New("socket torn by the test")

// tearWhileSending breaks the socket in the middle of sending a message:
// by turns, after half of its frame, or right after the whole frame,
// before the gateway could acknowledge it.
func (s *loadSub) tearWhileSending(id, text string) {
	s.mu.Lock()
	s.torn++
	half := s.torn%2 == 1
	s.mu.Unlock()
	frame := fmt.Sprintf(`{"type":"message","client_id":%q,"text":%q}`, id, text)
	if half {
		if w, err := s.c.ws.NextWriter(websocket.TextMessage); err == nil {
			_, _ = w.Write([]byte(frame[:len(frame)/2]))
		}
	} else {
		_ = s.c.ws.WriteMessage(websocket.TextMessage, []byte(frame))
	}
	_ = s.c.ws.UnderlyingConn().Close()
}

// redial opens a new socket and resumes the session, trying for up to a
// minute. A session that had no message yet may come back as a new one;
// the page keeps whichever it is given.
func (s *loadSub) redial(quit <-chan struct{}) error {
	_ = s.c.ws.Close()
	deadline := time.Now().Add(time.Minute)
	for {
		select {
		case <-quit:
			return nil
		default:
		}
		ws, _, err := websocket.DefaultDialer.Dial("ws://"+s.addr+"/chat/ws", nil)
		if err == nil {
			c := &client{t: s.c.t, ws: ws}
			if session, err := resume(c, s.session); err == nil {
				s.mu.Lock()
				s.c, s.session = c, session
				s.redials++
				s.mu.Unlock()
				return nil
			}
			_ = ws.Close()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no reconnection in a minute: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// resume says hello with the session and reads past the replay (up to the
// pong of a ping), without failing the test: the caller tries again.
func resume(c *client, session string) (string, error) {
	if err := c.ws.WriteJSON(map[string]string{"type": "hello", "session": session}); err != nil {
		return "", err
	}
	w, err := c.tryRead(10 * time.Second)
	if err != nil || w.Type != "welcome" {
		return "", fmt.Errorf("no welcome: %+v %v", w, err)
	}
	if err := c.ws.WriteJSON(map[string]string{"type": "ping"}); err != nil {
		return "", err
	}
	for {
		f, err := c.tryRead(10 * time.Second)
		if err != nil {
			return "", err
		}
		if f.Type == "pong" {
			return w.Session, nil
		}
	}
}

// try sends a message and reads until its ack and the bot's answer
// ("ack") or an error frame (its code).
func (s *loadSub) try(id, text string) (string, error) {
	if err := s.c.ws.WriteJSON(map[string]string{"type": "message", "client_id": id, "text": text}); err != nil {
		return "", err
	}
	gotAck := false
	for {
		f, err := s.c.tryRead(30 * time.Second)
		if err != nil {
			return "", err
		}
		switch {
		case f.Type == "error" && gotAck:
			return "", fmt.Errorf("an error after the ack: %+v", f)
		case f.Type == "error":
			return f.Code, nil
		case f.Type == "ack" && f.ClientID == id && f.Duplicate:
			// Stored by an earlier try whose answer was lost with the
			// store's connection; the answer comes from the transcript.
			return "ack", nil
		case f.Type == "ack" && f.ClientID == id:
			gotAck = true
		case f.Type == "message" && f.From == "bot" && gotAck:
			return "ack", nil
		}
	}
}

func (l *chatLoad) total() int {
	n := 0
	for _, s := range l.subs {
		s.mu.Lock()
		n += len(s.acked)
		s.mu.Unlock()
	}
	return n
}

func (l *chatLoad) refusals() int {
	n := 0
	for _, s := range l.subs {
		s.mu.Lock()
		n += s.refused
		s.mu.Unlock()
	}
	return n
}

// waitAcked waits until n messages in all were acknowledged.
func (l *chatLoad) waitAcked(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for l.total() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d messages acknowledged, want %d", l.total(), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop ends the writing and fails on any subscriber's broken exchange.
func (l *chatLoad) stop(t *testing.T) {
	t.Helper()
	close(l.quit)
	select {
	case <-l.done:
	case <-time.After(60 * time.Second):
		t.Fatal("subscribers did not stop")
	}
	for _, s := range l.subs {
		if s.err != nil {
			t.Errorf("a subscriber's exchange broke: %v", s.err)
		}
	}
}

// check reads every subscriber's transcript: each acknowledged message
// once with one answer, and nothing that was not acknowledged (the last
// message a subscriber was sending when stopped may be either).
func (l *chatLoad) check(t *testing.T, addr string) {
	t.Helper()
	for _, s := range l.subs {
		acked := map[string]bool{}
		for _, id := range s.acked {
			acked[id] = true
		}
		assertEachAnsweredOnce(t, addr, s.session, acked, len(s.acked))
	}
}

// assertEachAnsweredOnce resumes the session on a new socket and checks
// the transcript: every acknowledged message once, each followed by one
// bot answer before the subscriber's next message. Message number next
// (the one in flight when the load stopped) may be there unacknowledged.
func assertEachAnsweredOnce(t *testing.T, addr, session string, acked map[string]bool, next int) {
	t.Helper()
	again := dial(t, addr, nil)
	_, history := again.hello(session, "")
	seen, answers, last := map[string]int{}, map[string]int{}, ""
	for _, f := range history {
		if f.Type != "message" {
			continue
		}
		switch f.From {
		case "subscriber":
			seen[f.ClientID]++
			last = f.ClientID
		case "bot":
			answers[last]++
		}
	}
	for id := range acked {
		if seen[id] != 1 || answers[id] != 1 {
			t.Errorf("%s: %d times in the transcript with %d answers, want once with one; the transcript: %+v",
				id, seen[id], answers[id], history)
		}
	}
	for id := range seen {
		if !acked[id] && !strings.HasSuffix(id, fmt.Sprintf("-m%d", next)) {
			t.Errorf("%s is in the transcript but was never acknowledged", id)
		}
	}
}

// smallDisk mounts a tmpfs of the given size for the test, so the
// embedded store can run out of space. Mounting needs root; without it
// the test skips, or fails under HOTLINE_REQUIRE_SERVICES=1.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "hotline-disk-")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		_ = os.Remove(dir)
		msg := fmt.Sprintf("mounting a small tmpfs needs root: %v %s", err, out)
		if os.Getenv("HOTLINE_REQUIRE_SERVICES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() {
		_ = exec.Command("umount", "-l", dir).Run()
		_ = os.Remove(dir)
	})
	return dir
}

// fill writes a file until the disk is full and returns its path.
func fill(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 64<<10)
	for {
		if _, err := f.Write(block); err != nil {
			return path
		}
	}
}

// The embedded store's disk fills up under load: messages that cannot be
// stored are refused (the page resends them), nothing acknowledged is
// lost, and once space is freed the gateway stores again without a
// restart; after a restart everything acknowledged is still there.
func TestFaults_DiskFull(t *testing.T) {
	dir := smallDisk(t, "64m")
	g := startGateway(t, dir, nil)

	load := startChatLoad(t, g.addr, 4)
	load.waitAcked(t, 8)
	filler := fill(t, dir)
	waitUntil(t, "a message refused on the full disk", func() bool { return load.refusals() > 0 })
	time.Sleep(time.Second)
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	load.waitAcked(t, load.total()+8)
	load.stop(t)
	load.check(t, g.addr)

	g.stop()
	g = startGateway(t, dir, nil)
	load.check(t, g.addr)
}

// A subscriber's socket drops in the middle of a frame and right after
// one: the torn frame is dropped, the whole one may or may not have been
// stored, and the page's resend under the same id on a new socket is
// answered exactly once either way.
func TestFaults_WebchatSocketDropsMidMessage(t *testing.T) {
	g := startGateway(t, t.TempDir(), nil)
	c := dial(t, g.addr, nil)
	w, _ := c.hello("", "")

	// Half a frame, then the connection is gone.
	wr, err := c.ws.NextWriter(websocket.TextMessage)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = wr.Write([]byte(`{"type":"message","client_id":"torn","te`))
	_ = c.ws.UnderlyingConn().Close()

	// A whole frame, and the connection dropped before the ack. (A
	// session with no message yet is not kept, so a resume may be handed
	// a new one: the page keeps the latest.)
	c = dial(t, g.addr, nil)
	w, _ = c.hello(w.Session, "")
	c.send(map[string]string{"type": "message", "client_id": "dropped", "text": "话费余额怎么查"})
	_ = c.ws.UnderlyingConn().Close()

	// The page reconnects and resends both.
	c = dial(t, g.addr, nil)
	w, _ = c.hello(w.Session, "")
	s := &loadSub{c: c}
	for _, id := range []string{"dropped", "torn"} {
		if out, err := s.try(id, "营业厅几点开门"); err != nil || out != "ack" {
			t.Fatalf("%s resent: %q %v", id, out, err)
		}
	}
	assertEachAnsweredOnce(t, g.addr, w.Session, map[string]bool{"torn": true, "dropped": true}, -1)
	if !strings.Contains(g.logs.String(), "gateway serving") || readiness(t, g.addr) != http.StatusOK {
		t.Error("the gateway is not serving after the drops")
	}
}

// Many subscribers write at once and a third of their messages are sent
// on a socket that breaks mid-message, half of them inside the frame and
// half right after it. Each message is resent under its id on a new
// socket, as the page does: every acknowledged message is in the
// transcript once, with one answer, and the gateway keeps serving.
func TestFaults_WebchatSocketsTornUnderLoad(t *testing.T) {
	g := startGateway(t, t.TempDir(), ticketEnv(map[string]string{"HOTLINE_DIALOG_ANSWERS_PER_MINUTE": "0"}))
	load := &chatLoad{quit: make(chan struct{}), done: make(chan struct{})}
	for range 16 {
		c := dial(t, g.addr, nil)
		w, _ := c.hello("", "")
		load.subs = append(load.subs, &loadSub{c: c, addr: g.addr, session: w.Session, tear: 3})
	}
	var wg sync.WaitGroup
	for i, s := range load.subs {
		wg.Go(func() { s.run(i, load.quit) })
	}
	go func() { wg.Wait(); close(load.done) }()

	load.waitAcked(t, 16*15)
	load.stop(t)
	torn := 0
	for _, s := range load.subs {
		torn += s.torn
	}
	t.Logf("%d messages acknowledged, %d sockets torn mid-message", load.total(), torn)
	if torn < 16*4 {
		t.Errorf("%d sockets torn, want at least 4 for each subscriber", torn)
	}
	load.check(t, g.addr)
	if readiness(t, g.addr) != http.StatusOK {
		t.Error("the gateway is not ready after the torn sockets")
	}
}

// kill -9 of the embedded gateway under load, and a restart on the same
// data folder and address: the subscribers reconnect and resend what was
// not acknowledged; every acknowledged message is in the transcript once,
// with one answer (a reply committed before the crash is sent by the
// outbox's rescan after the restart).
func TestFaults_Kill9UnderLoad(t *testing.T) {
	dir := t.TempDir()
	p := launch(t, nil, dir, "127.0.0.1:0")
	load := startChatLoad(t, p.addr, 6)
	load.waitAcked(t, 18)

	p.kill()
	p2 := launch(t, nil, dir, p.addr)
	load.waitAcked(t, load.total()+18)
	load.stop(t)

	redials := 0
	for _, s := range load.subs {
		redials += s.redials
	}
	if redials == 0 {
		t.Error("no subscriber had to reconnect; the kill did not happen under load")
	}
	load.check(t, p2.addr)
}

// A Redis restart while subscribers write to an instance on PostgreSQL
// and Redis: the instance says not ready while Redis is away and is ready
// again by itself; nothing acknowledged lives only in Redis, so every
// acknowledged message is in the transcript once with one answer.
func TestFaults_RedisRestartUnderLoad(t *testing.T) {
	rd := startOwnRedis(t)
	env := sharedEnv(t, map[string]string{"HOTLINE_REDIS_URL": "redis://127.0.0.1:" + rd.port + "/0"})
	in := startInstance(t, env)

	load := startChatLoad(t, in.addr, 6)
	load.waitAcked(t, 12)
	rd.stop()
	waitUntil(t, "not ready without Redis", func() bool {
		return readiness(t, in.addr) == http.StatusServiceUnavailable
	})
	during := load.total()
	time.Sleep(time.Second) // subscribers keep writing while Redis is away
	rd.start()
	waitUntil(t, "ready again with Redis back", func() bool { return readiness(t, in.addr) == http.StatusOK })
	load.waitAcked(t, load.total()+12)
	load.stop(t)

	t.Logf("%d messages acknowledged before Redis went, %d in all, %d refused", during, load.total(), load.refusals())
	load.check(t, in.addr)
}
