package webchat

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"hotline/channels"
	"hotline/dialog"
)

// transcript is a History whose conversations and messages a test adds,
// as the dialog would commit them. It counts its reads of messages and
// how many of them ran at once.
type transcript struct {
	mu         sync.Mutex
	convs      map[string]dialog.Conversation // by address
	msgs       map[string][]dialog.Message    // by conversation id
	delay      time.Duration
	reads      int
	running    int
	mostAtOnce int
}

func newTranscript() *transcript {
	return &transcript{convs: map[string]dialog.Conversation{}, msgs: map[string][]dialog.Message{}}
}

// open starts a conversation for a fresh session and returns its token.
func (tr *transcript) open() (string, dialog.Conversation) {
	token := newToken()
	tr.mu.Lock()
	defer tr.mu.Unlock()
	conv := dialog.Conversation{ID: fmt.Sprintf("c%d", len(tr.convs)+1), Channel: Name,
		Address: addressOf(token)}
	tr.convs[conv.Address] = conv
	return token, conv
}

// commit appends a bot message to the conversation and returns it.
func (tr *transcript) commit(conv dialog.Conversation) dialog.Message {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	seq := int64(len(tr.msgs[conv.ID]) + 1)
	m := dialog.Message{ID: fmt.Sprintf("%s-m%d", conv.ID, seq), ConversationID: conv.ID,
		Seq: seq, Direction: dialog.Out, From: dialog.FromBot, Text: "答复",
		CreatedAt: time.Now().UTC()}
	tr.msgs[conv.ID] = append(tr.msgs[conv.ID], m)
	return m
}

// commitInbound appends a subscriber message sent with clientID.
func (tr *transcript) commitInbound(conv dialog.Conversation, clientID string) dialog.Message {
	m := tr.commit(conv)
	tr.mu.Lock()
	defer tr.mu.Unlock()
	list := tr.msgs[conv.ID]
	m.Direction, m.From, m.ProviderID = dialog.In, dialog.FromSubscriber, clientID
	list[len(list)-1] = m
	return m
}

func (tr *transcript) readCount() int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.reads
}

func (tr *transcript) FindConversation(_ context.Context, _, address string) (dialog.Conversation, error) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if c, ok := tr.convs[address]; ok {
		return c, nil
	}
	return dialog.Conversation{}, dialog.ErrNotFound
}

func (tr *transcript) MessageSeq(_ context.Context, convID, id string) (int64, error) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for _, m := range tr.msgs[convID] {
		if m.ID == id {
			return m.Seq, nil
		}
	}
	return 0, dialog.ErrNotFound
}

// MessagesAfter returns, like the store, the newest limit messages after
// the seq, oldest first.
func (tr *transcript) MessagesAfter(_ context.Context, convID string, after int64, limit int) ([]dialog.Message, error) {
	tr.mu.Lock()
	tr.reads++
	tr.running++
	tr.mostAtOnce = max(tr.mostAtOnce, tr.running)
	delay := tr.delay
	var out []dialog.Message
	for _, m := range tr.msgs[convID] {
		if m.Seq > after {
			out = append(out, m)
		}
	}
	tr.mu.Unlock()

	time.Sleep(delay)
	tr.mu.Lock()
	tr.running--
	tr.mu.Unlock()
	if len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out, nil
}

// capture is a Relay that keeps what is published.
type capture struct {
	mu   sync.Mutex
	sent [][]byte
}

func (r *capture) Publish(_ context.Context, payload []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, payload)
	return nil
}

func (r *capture) last(t *testing.T) []byte {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.sent) == 0 {
		t.Fatal("nothing was relayed")
	}
	return r.sent[len(r.sent)-1]
}

// instances is a channel with sockets (here) and one without (there),
// whose messages for here's sockets are relayed by hand, as the Fanout
// would: a message is lost for here when the test does not pass it on.
type instances struct {
	tr    *transcript
	here  *Channel
	there *Channel
	relay *capture
	url   string
}

func newInstances(t *testing.T, recv channels.Receiver) *instances {
	t.Helper()
	in := &instances{tr: newTranscript(), relay: &capture{}}
	build := func(r Relay) *Channel {
		c := testChannel(recv)
		c.cfg.History, c.cfg.Relay = in.tr, r
		return c
	}
	in.here, in.there = build(nil), build(in.relay)
	in.url = serve(t, in.here)
	return in
}

// relayed has there send m and passes the publication on to here.
func (in *instances) relayed(t *testing.T, conv dialog.Conversation, m dialog.Message) {
	t.Helper()
	if err := in.there.Send(context.Background(), m.Outbound(conv)); err == nil {
		t.Fatal("the instance without sockets wrote the message itself")
	}
	in.here.Deliver(in.relay.last(t))
}

// resume opens a socket for a conversation that has two messages, which
// the page has already shown.
func (in *instances) resume(t *testing.T) (*websocket.Conn, dialog.Conversation) {
	t.Helper()
	token, conv := in.tr.open()
	in.tr.commit(conv)
	seen := in.tr.commit(conv)
	ws, _, err := websocket.DefaultDialer.Dial(in.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ws.Close() })
	if err := ws.WriteJSON(map[string]string{"type": "hello", "session": token, "after": seen.ID}); err != nil {
		t.Fatal(err)
	}
	if w := readOut(t, ws); w.Type != "welcome" || w.Session != token {
		t.Fatalf("welcome = %+v, want the session resumed", w)
	}
	// The reader takes the ping once the replay is done.
	if err := ws.WriteJSON(map[string]string{"type": "ping"}); err != nil {
		t.Fatal(err)
	}
	if o := readOut(t, ws); o.Type != "pong" {
		t.Fatalf("got %+v after the welcome, want only the pong", o)
	}
	return ws, conv
}

type seqOut struct {
	Type     string `json:"type"`
	ID       string `json:"id"`
	Seq      int64  `json:"seq"`
	ClientID string `json:"client_id"`
}

func readSeq(t *testing.T, ws *websocket.Conn) seqOut {
	t.Helper()
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := ws.ReadMessage()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var o seqOut
	if err := json.Unmarshal(data, &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// wantSeqs reads message frames and fails unless they carry seqs, in
// this order.
func wantSeqs(t *testing.T, ws *websocket.Conn, seqs ...int64) {
	t.Helper()
	for _, want := range seqs {
		if o := readSeq(t, ws); o.Type != "message" || o.Seq != want {
			t.Fatalf("got %+v, want the message of seq %d", o, want)
		}
	}
}

// A relayed message past one the relay lost brings the lost one from the
// transcript first; each is written once.
func TestChannel_GapIsFilledFromTheTranscript(t *testing.T) {
	in := newInstances(t, nil)
	ws, conv := in.resume(t)
	readsAfterResume := in.tr.readCount()

	lost := in.tr.commit(conv) // seq 3, never relayed
	next := in.tr.commit(conv) // seq 4
	in.relayed(t, conv, next)
	wantSeqs(t, ws, lost.Seq, next.Seq)

	// The lost one turns up late; it is not written again.
	in.relayed(t, conv, lost)
	in.relayed(t, conv, in.tr.commit(conv))
	wantSeqs(t, ws, 5)
	if n := in.tr.readCount() - readsAfterResume; n != 1 {
		t.Errorf("%d transcript reads for one gap, want 1", n)
	}
}

// Two messages relayed out of order (two instances) are written in order
// without reading the transcript.
func TestChannel_OvertakenMessageWaitsForTheOneBefore(t *testing.T) {
	in := newInstances(t, nil)
	ws, conv := in.resume(t)
	readsAfterResume := in.tr.readCount()

	third, fourth := in.tr.commit(conv), in.tr.commit(conv)
	in.relayed(t, conv, fourth)
	in.relayed(t, conv, third)
	wantSeqs(t, ws, 3, 4)
	time.Sleep(gapGrace + 100*time.Millisecond)
	if n := in.tr.readCount() - readsAfterResume; n != 0 {
		t.Errorf("%d transcript reads, want none: the gap closed by itself", n)
	}
}

// After the relay was down, CatchUp brings every open socket the messages
// committed meanwhile, in order and once.
func TestChannel_CatchUpAfterTheRelayWasDown(t *testing.T) {
	in := newInstances(t, nil)
	first, conv1 := in.resume(t)
	second, conv2 := in.resume(t)

	// Committed and sent while the relay delivered nothing.
	for range 3 {
		in.tr.commit(conv1)
	}
	in.tr.commit(conv2)

	in.here.CatchUp(context.Background())
	wantSeqs(t, first, 3, 4, 5)
	wantSeqs(t, second, 3)

	in.here.CatchUp(context.Background())
	in.relayed(t, conv1, in.tr.commit(conv1))
	wantSeqs(t, first, 6)
}

// A catch-up of many sockets reads the transcript for a few at a time.
func TestChannel_CatchUpIsBounded(t *testing.T) {
	in := newInstances(t, nil)
	const sockets = 3 * catchUpWorkers
	conns := make([]*websocket.Conn, sockets)
	for i := range conns {
		ws, conv := in.resume(t)
		in.tr.commit(conv)
		conns[i] = ws
	}
	in.tr.mu.Lock()
	in.tr.delay, in.tr.running, in.tr.mostAtOnce = 20*time.Millisecond, 0, 0
	in.tr.mu.Unlock()

	in.here.CatchUp(context.Background())
	for _, ws := range conns {
		wantSeqs(t, ws, 3)
	}
	in.tr.mu.Lock()
	defer in.tr.mu.Unlock()
	if in.tr.mostAtOnce > catchUpWorkers || in.tr.mostAtOnce < 2 {
		t.Errorf("%d transcript reads at once, want between 2 and %d", in.tr.mostAtOnce, catchUpWorkers)
	}
}

// receiveFunc is a receiver whose behaviour each test gives.
type receiveFunc func(channels.Inbound) (channels.Receipt, error)

func (f receiveFunc) Receive(_ context.Context, in channels.Inbound) (channels.Receipt, error) {
	return f(in)
}

// The answer may reach the socket before the ack of the question; the
// client still gets the ack, then the answer, and never its own message
// as a message frame, even when a catch-up runs in between.
func TestChannel_AnswerBeforeTheAck(t *testing.T) {
	var in *instances
	var conv dialog.Conversation
	recv := receiveFunc(func(m channels.Inbound) (channels.Receipt, error) {
		q := in.tr.commitInbound(conv, m.ProviderID)
		a := in.tr.commit(conv)
		if err := in.here.Send(context.Background(), a.Outbound(conv)); err != nil {
			t.Errorf("send the answer: %v", err)
		}
		in.here.CatchUp(context.Background())
		return channels.Receipt{ConversationID: conv.ID, MessageID: q.ID, Seq: q.Seq}, nil
	})
	in = newInstances(t, recv)
	var ws *websocket.Conn
	ws, conv = in.resume(t)

	send(t, ws, "q1")
	got := []seqOut{readSeq(t, ws), readSeq(t, ws)}
	if got[0].Type != "ack" || got[0].Seq != 3 || got[0].ClientID != "q1" ||
		got[1].Type != "message" || got[1].Seq != 4 {
		t.Fatalf("frames %+v, want the ack of the question (3), then the answer (4)", got)
	}
	in.relayed(t, conv, in.tr.commit(conv))
	wantSeqs(t, ws, 5)
}

// A message the relay lost before the subscriber's own is written before
// the ack of the subscriber's message.
func TestChannel_AckWaitsForAMessageTheRelayLost(t *testing.T) {
	var in *instances
	var conv dialog.Conversation
	recv := receiveFunc(func(m channels.Inbound) (channels.Receipt, error) {
		q := in.tr.commitInbound(conv, m.ProviderID)
		return channels.Receipt{ConversationID: conv.ID, MessageID: q.ID, Seq: q.Seq}, nil
	})
	in = newInstances(t, recv)
	var ws *websocket.Conn
	ws, conv = in.resume(t)
	in.tr.commit(conv) // seq 3, never relayed

	send(t, ws, "q1")
	wantSeqs(t, ws, 3)
	if a := readSeq(t, ws); a.Type != "ack" || a.Seq != 4 || a.ClientID != "q1" {
		t.Fatalf("got %+v, want the ack of the question (4)", a)
	}
	in.relayed(t, conv, in.tr.commit(conv))
	wantSeqs(t, ws, 5)
}
