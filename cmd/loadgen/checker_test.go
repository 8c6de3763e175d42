package main

import (
	"strings"
	"testing"
	"time"
)

// chatTurn is a web chat turn acked once at seq, answered at the seqs.
func chatTurn(key string, seq int64, sent time.Time, replies ...reply) *turn {
	return &turn{Key: key, Text: "问题" + key, Seq: seq, Sent: sent, Acks: 1, AckID: "m" + key, Replies: replies}
}

func botReply(id string, seq int64, at time.Time, text string) reply {
	return reply{ID: id, Seq: seq, From: "bot", Text: text, At: at}
}

func kinds(ps []problem) map[string]int {
	out := map[string]int{}
	for _, p := range ps {
		out[p.Kind]++
	}
	return out
}

func TestCheckerPassesAGoodConversation(t *testing.T) {
	t0 := time.Now()
	tr := &transcript{Channel: chanWebchat, Subscriber: "w1", Acked: true, Turns: []*turn{
		chatTurn("a", 1, t0, botReply("r1", 2, t0.Add(5*time.Millisecond), "余额…")),
		chatTurn("b", 3, t0.Add(time.Second), botReply("r2", 4, t0.Add(time.Second+time.Millisecond), "流量…"),
			botReply("r3", 5, t0.Add(time.Second+2*time.Millisecond), "还有别的问题吗")),
	}}
	if ps := (checker{timeout: time.Second}).check([]*transcript{tr}); len(ps) != 0 {
		t.Fatalf("problems in a good conversation: %v", ps)
	}
}

func TestCheckerFindsDuplicateMissingAndOutOfOrder(t *testing.T) {
	t0 := time.Now()
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	tr := &transcript{Channel: chanWebchat, Subscriber: "w1", Acked: true, Turns: []*turn{
		chatTurn("a", 1, at(0), botReply("r1", 2, at(3), "余额…")),
		// The first answer delivered again.
		chatTurn("b", 3, at(100), botReply("r1", 2, at(104), "余额…"), botReply("r4", 4, at(105), "流量…")),
		// Never answered.
		chatTurn("c", 5, at(200)),
		// Answered with a message from before the question.
		chatTurn("d", 7, at(300), botReply("r6", 6, at(302), "发票…")),
	}}
	ps := (checker{timeout: time.Second}).check([]*transcript{tr})
	got := kinds(ps)
	if got[probDuplicate] != 1 || got[probMissing] != 1 || got[probOrder] < 1 {
		t.Fatalf("problems = %v, want a duplicate, a missing answer and an out-of-order answer", ps)
	}
	all := ""
	for _, p := range ps {
		all += p.String() + "\n"
	}
	for _, want := range []string{"r1", `"问题c"`, "r6"} {
		if !strings.Contains(all, want) {
			t.Errorf("the problems do not name %s:\n%s", want, all)
		}
	}
}

func TestCheckerFindsSameTextTwiceAndRepeatedAcks(t *testing.T) {
	t0 := time.Now()
	tr := &transcript{Channel: chanSMS, Subscriber: "+8613800000001", Turns: []*turn{
		{Key: "SM1", Text: "看下余额", Seq: 1, Sent: t0, Replies: []reply{
			{ID: "d1", Seq: 2, From: "bot", Text: "余额…", At: t0.Add(time.Millisecond)},
			{ID: "d2", Seq: 3, From: "bot", Text: "余额…", At: t0.Add(2 * time.Millisecond)}}},
	}}
	chat := &transcript{Channel: chanWebchat, Subscriber: "w2", Acked: true, Turns: []*turn{
		{Key: "x", Seq: 1, Acks: 2, Sent: t0, Replies: []reply{botReply("r", 2, t0, "好的")}}}}
	got := kinds((checker{timeout: time.Second}).check([]*transcript{tr, chat}))
	if got[probDuplicate] != 2 {
		t.Fatalf("problems = %v, want the repeated text and the second ack as duplicates", got)
	}
}

func TestCheckerFindsStuckAndAgentlessTurns(t *testing.T) {
	t0 := time.Now()
	tr := &transcript{Channel: chanWeChat, Subscriber: "o1", Turns: []*turn{
		{Key: "1", Text: "看下余额", Seq: 1, Sent: t0, Replies: []reply{{ID: "p1", Seq: 2, From: "bot", Text: "余额…", At: t0.Add(3 * time.Second)}}},
		{Key: "2", Text: askAgent, Seq: 3, Sent: t0.Add(4 * time.Second), WantAgent: true,
			Replies: []reply{{ID: "p2", Seq: 4, From: "bot", Text: "正在为您转接", At: t0.Add(4 * time.Second)}}},
	}}
	got := kinds((checker{timeout: time.Second}).check([]*transcript{tr}))
	if got[probStuck] != 1 || got[probAgent] != 1 {
		t.Fatalf("problems = %v, want one stuck and one without an agent", got)
	}
}

func TestCheckerTickets(t *testing.T) {
	tr := &transcript{Channel: chanWebchat, Subscriber: "w1", Faults: []faultReport{
		{Account: "lg1", Ticket: "TK20261204-000001"}, // fine
		{Account: "lg2", Ticket: "TK20261204-000002"}, // two tickets
		{Account: "lg3", Ticket: "TK20261204-000003"}, // none
		{Account: "lg4", Ticket: ""},                  // not told
	}}
	api := map[string][]string{"lg1": {"TK20261204-000001"}, "lg2": {"TK20261204-000002", "TK20261204-000009"}}
	c := checker{timeout: time.Second, tickets: func(p string) ([]string, error) { return api[p], nil }}
	ps := c.check([]*transcript{tr})
	if len(ps) != 3 {
		t.Fatalf("problems = %v, want 3 (two tickets, none, not told)", ps)
	}
}
