package handoff

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"time"
	"unicode/utf8"
)

// AuditAction is a short code for what an agent did.
type AuditAction string

// Audit actions of the desk and its accounts.
const (
	ActionSignIn        AuditAction = "sign_in"
	ActionSignInFailed  AuditAction = "sign_in_failed"
	ActionSignOut       AuditAction = "sign_out"
	ActionAccept        AuditAction = "accept"
	ActionReply         AuditAction = "reply"
	ActionNote          AuditAction = "note"
	ActionTransfer      AuditAction = "transfer"
	ActionClose         AuditAction = "close"
	ActionReveal        AuditAction = "reveal"
	ActionState         AuditAction = "state"
	ActionRouted        AuditAction = "routed"
	ActionView          AuditAction = "view"
	ActionTicket        AuditAction = "ticket"
	ActionAccountCreate AuditAction = "account_create"
	ActionAccountUpdate AuditAction = "account_update"
	ActionPasswordSet   AuditAction = "password_set"
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	// ID orders entries recorded at the same time; the store assigns it.
	ID int64
	// At is when it happened.
	At time.Time
	// Actor is the account that acted; empty for the system or for a
	// sign-in under a name that does not exist.
	Actor string
	// Action says what was done.
	Action AuditAction
	// ConversationID is the conversation acted on, if any.
	ConversationID string
	// Detail is a short note in the desk's own words: a state, a target
	// agent, a wrap-up code. It never carries message text, phone
	// numbers, passwords or tokens.
	Detail string
}

// AuditQuery selects entries of the audit log.
type AuditQuery struct {
	// Actor, when set, keeps the entries of one account.
	Actor string
	// ConversationID, when set, keeps the entries of one conversation.
	ConversationID string
	// Limit is the most entries returned; 0 means 100, and more than
	// 1000 means 1000.
	Limit int
}

// Limits of an audit query.
const (
	defaultAuditLimit = 100
	maxAuditLimit     = 1000
)

// limit returns the query's limit within bounds.
func (q AuditQuery) limit() int {
	if q.Limit <= 0 {
		return defaultAuditLimit
	}
	return min(q.Limit, maxAuditLimit)
}

// AuditStore keeps the audit log. It only appends: no entry is changed
// or removed through it.
type AuditStore interface {
	// AppendAudit stores an entry and returns the id it was given.
	AppendAudit(ctx context.Context, e AuditEntry) (int64, error)
	// AuditEntries returns the entries the query selects, newest first
	// (by time, then by id).
	AuditEntries(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
}

// Audit records who did what on the desk, and when.
type Audit struct {
	store AuditStore
	now   func() time.Time
	log   *slog.Logger
}

// NewAudit builds an audit log on a store, with a clock (nil means
// time.Now) and a logger (nil discards).
func NewAudit(s AuditStore, now func() time.Time, log *slog.Logger) (*Audit, error) {
	if s == nil {
		return nil, errors.New("audit log needs a store")
	}
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Audit{store: s, now: now, log: log}, nil
}

// Record appends an entry at the current time. The detail must never
// carry message text, phone numbers, passwords or tokens: it is a short
// note such as a state or a target agent. Record refuses, with
// ErrInvalid, an action that is not a short code and a detail longer than
// 200 characters or holding a number of 7 digits or more (which looks
// like a phone or ID number); the refused detail is not repeated in the
// error. The check is a guard against mistakes, not a proof: the caller
// is the one who must keep personal data out.
func (a *Audit) Record(ctx context.Context, who string, action AuditAction,
	conversationID, detail string) error {
	e := AuditEntry{At: a.now(), Actor: who, Action: action,
		ConversationID: conversationID, Detail: detail}
	if err := e.validate(); err != nil {
		return err
	}
	id, err := a.store.AppendAudit(ctx, e)
	if err != nil {
		return fmt.Errorf("record %s by %s: %w", action, who, err)
	}
	a.log.Debug("audit recorded", "audit_id", id, "action", string(action), "actor", who,
		"conversation", conversationID)
	return nil
}

// Recent returns the newest entries the query selects, newest first.
func (a *Audit) Recent(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	q.Limit = q.limit()
	out, err := a.store.AuditEntries(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}

// Forms of an audit entry's fields.
var (
	auditActionForm = regexp.MustCompile(`^[a-z][a-z_]{0,31}$`)
	// longDigits is a number of 7 digits or more, maybe split by
	// spaces or hyphens, that does not follow a letter: a phone or ID
	// number, but not a ticket id such as TK20261203-000123.
	longDigits = regexp.MustCompile(`(?:^|[^A-Za-z0-9])\+?[0-9](?:[ -]?[0-9]){6,}`)
)

// maxDetailLen is the most characters of an entry's detail.
const maxDetailLen = 200

// validate says what is wrong with an entry, without repeating its
// detail.
func (e AuditEntry) validate() error {
	switch {
	case !auditActionForm.MatchString(string(e.Action)):
		return fmt.Errorf("audit action: want a short lower-case code: %w", ErrInvalid)
	case utf8.RuneCountInString(e.Detail) > maxDetailLen:
		return fmt.Errorf("audit %s detail longer than %d characters: %w",
			e.Action, maxDetailLen, ErrInvalid)
	case longDigits.MatchString(e.Detail):
		return fmt.Errorf("audit %s detail holds a long number, maybe personal data: %w",
			e.Action, ErrInvalid)
	}
	return nil
}

// sortNewestFirst orders entries by time, then id, newest first.
func sortNewestFirst(es []AuditEntry) {
	slices.SortFunc(es, func(a, b AuditEntry) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
}
