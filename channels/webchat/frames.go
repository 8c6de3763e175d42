package webchat

import (
	"encoding/json"
	"time"

	"hotline/channels"
	"hotline/dialog"
)

// clientFrame is any frame a client sends; Type says which fields matter.
type clientFrame struct {
	Type     string `json:"type"`
	Session  string `json:"session"`
	After    string `json:"after"`
	Lang     string `json:"lang"`
	ClientID string `json:"client_id"`
	Text     string `json:"text"`
	Payload  string `json:"payload"`
}

type welcomeFrame struct {
	Type         string `json:"type"`
	Session      string `json:"session"`
	Conversation string `json:"conversation,omitempty"`
	Resumed      bool   `json:"resumed"`
}

type ackFrame struct {
	Type      string `json:"type"`
	ClientID  string `json:"client_id"`
	ID        string `json:"id"`
	Seq       int64  `json:"seq"`
	Duplicate bool   `json:"duplicate"`
}

type messageFrame struct {
	Type         string                `json:"type"`
	ID           string                `json:"id"`
	Seq          int64                 `json:"seq"`
	From         string                `json:"from"`
	Text         string                `json:"text"`
	QuickReplies []channels.QuickReply `json:"quick_replies,omitempty"`
	Links        []channels.Link       `json:"links,omitempty"`
	At           time.Time             `json:"at"`
	ClientID     string                `json:"client_id,omitempty"`
}

type typingFrame struct {
	Type string `json:"type"`
	From string `json:"from"`
	On   bool   `json:"on"`
}

type errorFrame struct {
	Type string `json:"type"`
	Code string `json:"code"`
	Text string `json:"text"`
}

// Error codes sent in error frames.
const (
	codeBadFrame    = "bad_frame"
	codeTooLong     = "too_long"
	codeEmpty       = "empty"
	codeRateLimited = "rate_limited"
	codeUnavailable = "unavailable"
)

var pongFrame = []byte(`{"type":"pong"}`)

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Every frame type above marshals; this cannot happen.
		panic("webchat: encode frame: " + err.Error())
	}
	return b
}

func transcriptFrame(m dialog.Message) []byte {
	f := messageFrame{
		Type: "message", ID: m.ID, Seq: m.Seq, From: m.From, Text: m.Text,
		QuickReplies: m.QuickReplies, Links: m.Links, At: m.CreatedAt,
	}
	if m.Direction == dialog.In {
		f.ClientID = m.ProviderID
	}
	return encode(f)
}

func outboundFrame(m channels.Outbound) []byte {
	return encode(messageFrame{
		Type: "message", ID: m.ID, Seq: m.Seq, From: m.From, Text: m.Text,
		QuickReplies: m.QuickReplies, Links: m.Links, At: m.CreatedAt,
	})
}
