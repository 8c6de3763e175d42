package convdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"hotline/channels"
	"hotline/dialog"
)

// body is the JSON form of a message's content in the messages table.
type body struct {
	Text         string                `json:"text,omitempty"`
	Payload      string                `json:"payload,omitempty"`
	QuickReplies []channels.QuickReply `json:"quick_replies,omitempty"`
	Links        []channels.Link       `json:"links,omitempty"`
	Event        *channels.Event       `json:"event,omitempty"`
	Attachments  []channels.Attachment `json:"attachments,omitempty"`
}

const msgColumns = `id, conversation_id, seq, direction, sender, body, provider_id, reply_to,
	created_at, delivery, attempts`

// encodeBody is a message's content as stored.
func encodeBody(m dialog.Message) (string, error) {
	b, err := json.Marshal(body{
		Text: m.Text, Payload: m.Payload, QuickReplies: m.QuickReplies, Links: m.Links,
		Event: m.Event, Attachments: m.Attachments,
	})
	if err != nil {
		return "", fmt.Errorf("encode message: %w", err)
	}
	return string(b), nil
}

func (s *Store) insertMessage(ctx context.Context, tx *sql.Tx, m dialog.Message) error {
	b, err := encodeBody(m)
	if err != nil {
		return err
	}

	var provider any
	if m.ProviderID != "" {
		provider = m.ProviderID
	}
	_, err = s.exec(ctx, tx, sqlInsertMessage,
		m.ID, m.ConversationID, m.Seq, string(m.Direction), m.From, b, provider,
		m.ReplyTo, m.CreatedAt.UnixMilli(), string(m.Delivery), m.Attempts)
	return conflictOr(err, "insert message")
}

func scanMessage(row scanner) (dialog.Message, error) {
	var m dialog.Message
	var dir, delivery, raw string
	var provider sql.NullString
	var created int64
	err := row.Scan(&m.ID, &m.ConversationID, &m.Seq, &dir, &m.From, &raw, &provider,
		&m.ReplyTo, &created, &delivery, &m.Attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return m, dialog.ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("read message: %w", err)
	}

	var b body
	if err := json.Unmarshal([]byte(raw), &b); err != nil {
		return m, fmt.Errorf("read message %s: %w", m.ID, err)
	}
	m.Direction = dialog.Direction(dir)
	m.Delivery = dialog.Delivery(delivery)
	m.ProviderID = provider.String
	m.CreatedAt = time.UnixMilli(created).UTC()
	m.Text, m.Payload, m.QuickReplies, m.Links = b.Text, b.Payload, b.QuickReplies, b.Links
	m.Event, m.Attachments = b.Event, b.Attachments
	return m, nil
}

// FindInbound returns the inbound message stored under a provider id, or
// dialog.ErrNotFound.
func (s *Store) FindInbound(ctx context.Context, conversationID, providerID string) (dialog.Message, error) {
	row := s.queryRow(ctx, "SELECT "+msgColumns+
		" FROM messages WHERE conversation_id = ? AND provider_id = ?",
		conversationID, providerID)
	return scanMessage(row)
}

// MessageSeq returns a message's sequence in its conversation, or
// dialog.ErrNotFound.
func (s *Store) MessageSeq(ctx context.Context, conversationID, messageID string) (int64, error) {
	var seq int64
	err := s.queryRow(ctx,
		"SELECT seq FROM messages WHERE id = ? AND conversation_id = ?",
		messageID, conversationID).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, dialog.ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("message seq: %w", err)
	}
	return seq, nil
}

// MessagesAfter returns up to limit messages after afterSeq, oldest first;
// when there are more, the newest limit of them.
func (s *Store) MessagesAfter(ctx context.Context, conversationID string, afterSeq int64, limit int) ([]dialog.Message, error) {
	rows, err := s.query(ctx, "SELECT "+msgColumns+` FROM (
		SELECT * FROM messages WHERE conversation_id = ? AND seq > ?
		ORDER BY seq DESC LIMIT ?) AS recent ORDER BY seq`,
		conversationID, afterSeq, limit)
	if err != nil {
		return nil, fmt.Errorf("messages after: %w", err)
	}
	return collect(rows, func(r *sql.Rows) (dialog.Message, error) { return scanMessage(r) })
}
