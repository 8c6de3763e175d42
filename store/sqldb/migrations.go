package sqldb

import "strings"

// migrations are the schema's versions for the whole program, applied in
// order; schema_migrations records which ran. Append new ones; never edit
// one that was released. They are written once for both dialects:
// integers and unix-nanosecond times are BIGINT, text is TEXT, and the two
// markers below stand for what the dialects spell differently.
//
//   - {{autoid}} is an auto-incremented 64-bit primary key.
//   - {{blob}} is a byte string.
var migrations = []string{
	// 1: the dialog's conversations, transcripts and unanswered questions.
	// Their times are unix milliseconds.
	`CREATE TABLE conversations (
		id            TEXT PRIMARY KEY,
		channel       TEXT NOT NULL,
		address       TEXT NOT NULL,
		subscriber_id TEXT NOT NULL DEFAULT '',
		state         TEXT NOT NULL,
		lang          TEXT NOT NULL,
		misses        BIGINT NOT NULL DEFAULT 0,
		slots         TEXT NOT NULL DEFAULT '{}',
		last_seq      BIGINT NOT NULL,
		version       BIGINT NOT NULL,
		created_at    BIGINT NOT NULL,
		active_at     BIGINT NOT NULL,
		UNIQUE (channel, address)
	);
	CREATE INDEX conversations_idle ON conversations (active_at) WHERE state <> 'closed';
	CREATE INDEX conversations_active ON conversations (active_at);

	CREATE TABLE messages (
		id              TEXT PRIMARY KEY,
		conversation_id TEXT NOT NULL,
		seq             BIGINT NOT NULL,
		direction       TEXT NOT NULL,
		sender          TEXT NOT NULL,
		body            TEXT NOT NULL,
		provider_id     TEXT,
		reply_to        TEXT NOT NULL DEFAULT '',
		created_at      BIGINT NOT NULL,
		delivery        TEXT NOT NULL DEFAULT '',
		attempts        BIGINT NOT NULL DEFAULT 0,
		UNIQUE (conversation_id, seq)
	);
	CREATE UNIQUE INDEX messages_provider ON messages (conversation_id, provider_id)
		WHERE provider_id IS NOT NULL;
	CREATE INDEX messages_pending ON messages (created_at) WHERE delivery = 'pending';
	CREATE INDEX messages_created ON messages (created_at);

	CREATE TABLE unanswered (
		id              {{autoid}},
		conversation_id TEXT NOT NULL,
		message_id      TEXT NOT NULL,
		text            TEXT NOT NULL,
		best_entry      TEXT NOT NULL DEFAULT '',
		best_score      DOUBLE PRECISION NOT NULL DEFAULT 0,
		suggested       BIGINT NOT NULL DEFAULT 0,
		at              BIGINT NOT NULL
	);
	CREATE INDEX unanswered_at ON unanswered (at);`,

	// 2: tickets with their history, events and outbox, outages,
	// idempotency records and id counters. Times are unix nanoseconds;
	// NULL is the zero time.
	`CREATE TABLE tickets (
		id                  TEXT PRIMARY KEY,
		kind                TEXT NOT NULL,
		category            TEXT NOT NULL DEFAULT '',
		status              TEXT NOT NULL,
		priority            BIGINT NOT NULL,
		owner_channel       TEXT NOT NULL DEFAULT '',
		owner_address       TEXT NOT NULL DEFAULT '',
		owner_subscriber_id TEXT NOT NULL DEFAULT '',
		conversation_id     TEXT NOT NULL DEFAULT '',
		source              TEXT NOT NULL DEFAULT '',
		source_key          TEXT NOT NULL DEFAULT '',
		phone               TEXT NOT NULL DEFAULT '',
		details             TEXT NOT NULL DEFAULT '{}',
		summary             TEXT NOT NULL DEFAULT '',
		area                TEXT NOT NULL DEFAULT '',
		service             TEXT NOT NULL DEFAULT '',
		outage_id           TEXT NOT NULL DEFAULT '',
		assignee            TEXT NOT NULL DEFAULT '',
		resolution          TEXT NOT NULL DEFAULT '',
		rating              BIGINT NOT NULL DEFAULT 0,
		risk                TEXT NOT NULL DEFAULT '',
		respond_by          BIGINT,
		resolve_by          BIGINT,
		responded_at        BIGINT,
		resolved_at         BIGINT,
		watch_at            BIGINT,
		created_at          BIGINT NOT NULL,
		updated_at          BIGINT NOT NULL,
		version             BIGINT NOT NULL
	);
	CREATE UNIQUE INDEX tickets_source_key ON tickets (source_key) WHERE source_key <> '';
	CREATE INDEX tickets_created ON tickets (created_at, id);
	CREATE INDEX tickets_status ON tickets (status, created_at);
	CREATE INDEX tickets_kind ON tickets (kind, created_at);
	CREATE INDEX tickets_phone ON tickets (phone);
	CREATE INDEX tickets_breached ON tickets (created_at) WHERE risk = 'breached';
	CREATE INDEX tickets_owner_address ON tickets (owner_channel, owner_address, created_at);
	CREATE INDEX tickets_owner_subscriber ON tickets (owner_subscriber_id, created_at);
	CREATE INDEX tickets_outage ON tickets (outage_id);
	CREATE INDEX tickets_due ON tickets (watch_at)
		WHERE watch_at IS NOT NULL AND ` + openStatus + `;

	CREATE TABLE ticket_history (
		id         {{autoid}},
		ticket_id  TEXT NOT NULL,
		at         BIGINT NOT NULL,
		actor      TEXT NOT NULL DEFAULT '',
		action     TEXT NOT NULL,
		from_value TEXT NOT NULL DEFAULT '',
		to_value   TEXT NOT NULL DEFAULT '',
		note       TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX ticket_history_ticket ON ticket_history (ticket_id, id);

	CREATE TABLE ticket_events (
		seq       {{autoid}},
		ticket_id TEXT NOT NULL,
		type      TEXT NOT NULL,
		payload   TEXT NOT NULL,
		at        BIGINT NOT NULL
	);
	CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, seq);

	CREATE TABLE ticket_outbox (
		consumer TEXT NOT NULL,
		seq      BIGINT NOT NULL,
		PRIMARY KEY (consumer, seq)
	);

	CREATE TABLE outages (
		id           TEXT PRIMARY KEY,
		service      TEXT NOT NULL,
		area         TEXT NOT NULL DEFAULT '',
		description  TEXT NOT NULL DEFAULT '',
		expected_fix BIGINT,
		is_open      BIGINT NOT NULL,
		note         TEXT NOT NULL DEFAULT '',
		declared_at  BIGINT NOT NULL,
		updated_at   BIGINT NOT NULL,
		closed_at    BIGINT,
		version      BIGINT NOT NULL
	);
	CREATE INDEX outages_declared ON outages (declared_at, id);
	CREATE INDEX outages_open ON outages (declared_at, id) WHERE is_open = 1;

	CREATE TABLE idempotency (
		idem_key     TEXT PRIMARY KEY,
		request_hash TEXT NOT NULL,
		status       BIGINT NOT NULL,
		body         {{blob}} NOT NULL,
		at           BIGINT
	);

	CREATE TABLE id_counters (
		name       TEXT PRIMARY KEY,
		next_value BIGINT NOT NULL
	);
	INSERT INTO id_counters (name, next_value) VALUES ('TK', 0), ('OG', 0);`,

	// 3: fewer index entries per new ticket. Most tickets have no
	// subscriber record and no outage, so those indexes skip the empty
	// value (queries say so, to use them); no query reads a ticket's
	// events by ticket.
	`DROP INDEX ticket_events_ticket;
	DROP INDEX tickets_owner_subscriber;
	CREATE INDEX tickets_owner_subscriber ON tickets (owner_subscriber_id, created_at)
		WHERE owner_subscriber_id <> '';
	DROP INDEX tickets_outage;
	CREATE INDEX tickets_outage ON tickets (outage_id) WHERE outage_id <> '';`,

	// 4: the desk's agent accounts, their sessions and the audit log.
	// Times are unix nanoseconds. A session is keyed by the hex SHA-256
	// of its token, never the token. The audit log is only appended to;
	// its indexes serve newest-first reads by actor and by conversation.
	`CREATE TABLE agent_accounts (
		id             TEXT PRIMARY KEY,
		name           TEXT NOT NULL,
		role           TEXT NOT NULL,
		skill_groups   TEXT NOT NULL DEFAULT '[]',
		max_concurrent BIGINT NOT NULL,
		password_hash  TEXT NOT NULL,
		disabled       BIGINT NOT NULL DEFAULT 0,
		created_at     BIGINT NOT NULL,
		updated_at     BIGINT NOT NULL,
		version        BIGINT NOT NULL
	);
	CREATE INDEX agent_accounts_role ON agent_accounts (role);

	CREATE TABLE agent_sessions (
		token_hash TEXT PRIMARY KEY,
		account_id TEXT NOT NULL,
		created_at BIGINT NOT NULL,
		idle_until BIGINT NOT NULL,
		expires_at BIGINT NOT NULL
	);
	CREATE INDEX agent_sessions_account ON agent_sessions (account_id);
	CREATE INDEX agent_sessions_idle ON agent_sessions (idle_until);

	CREATE TABLE audit_log (
		id              {{autoid}},
		at              BIGINT NOT NULL,
		actor           TEXT NOT NULL DEFAULT '',
		action          TEXT NOT NULL,
		conversation_id TEXT NOT NULL DEFAULT '',
		detail          TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX audit_log_at ON audit_log (at, id);
	CREATE INDEX audit_log_actor ON audit_log (actor, at, id);
	CREATE INDEX audit_log_conversation ON audit_log (conversation_id, at, id)
		WHERE conversation_id <> '';`,

	// 5: agents' internal notes on conversations. The id is made by the
	// console from the agent and its own note id, so a resent note is
	// stored once.
	`CREATE TABLE agent_notes (
		id              TEXT PRIMARY KEY,
		conversation_id TEXT NOT NULL,
		agent_id        TEXT NOT NULL,
		body            TEXT NOT NULL,
		at              BIGINT NOT NULL
	);
	CREATE INDEX agent_notes_conversation ON agent_notes (conversation_id, at);`,

	// 6: SMS: numbers that opted out, keyword messages already handled
	// (by channel and provider key, so a provider's retry is answered
	// once), and the provider ids of sent messages with their delivery
	// status.
	`CREATE TABLE sms_optouts (
		phone      TEXT PRIMARY KEY,
		opted_out  BIGINT NOT NULL,
		updated_at BIGINT NOT NULL
	);
	CREATE TABLE sms_keywords (
		channel      TEXT NOT NULL,
		provider_key TEXT NOT NULL,
		keyword      TEXT NOT NULL,
		at           BIGINT NOT NULL,
		PRIMARY KEY (channel, provider_key)
	);
	CREATE TABLE sms_sends (
		channel     TEXT NOT NULL,
		provider_id TEXT NOT NULL,
		message_id  TEXT NOT NULL,
		status      TEXT NOT NULL,
		status_rank BIGINT NOT NULL,
		code        TEXT NOT NULL DEFAULT '',
		updated_at  BIGINT NOT NULL,
		PRIMARY KEY (channel, provider_id)
	);
	CREATE INDEX sms_sends_message ON sms_sends (message_id);`,

	// 7: subscribers who bound a phone number on another channel, by
	// their subscriber id (a digest of the number).
	`CREATE TABLE subscribers (
		id       TEXT PRIMARY KEY,
		phone    TEXT NOT NULL,
		bound_at BIGINT NOT NULL
	);`,

	// 8: supervisors' figures. One record per visit (a stretch of a
	// conversation from the subscriber's first message to its close),
	// kept after the transcript's retention as it holds no personal
	// data; each finished day's figures kept whole; tickets found by the
	// day they were first answered or resolved.
	`CREATE TABLE visits (
		id              TEXT PRIMARY KEY,
		conversation_id TEXT NOT NULL,
		channel         TEXT NOT NULL,
		started_at      BIGINT NOT NULL,
		answered        BIGINT NOT NULL DEFAULT 0,
		unanswered      BIGINT NOT NULL DEFAULT 0,
		tickets         BIGINT NOT NULL DEFAULT 0,
		handoff_at      BIGINT NOT NULL DEFAULT 0,
		agent_id        TEXT NOT NULL DEFAULT '',
		first_reply_at  BIGINT NOT NULL DEFAULT 0,
		rating          BIGINT NOT NULL DEFAULT 0,
		rated_agent     TEXT NOT NULL DEFAULT '',
		ended_at        BIGINT NOT NULL DEFAULT 0
	);
	CREATE INDEX visits_started ON visits (started_at);
	CREATE TABLE report_days (
		day         BIGINT PRIMARY KEY,
		figures     TEXT NOT NULL,
		computed_at BIGINT NOT NULL
	);
	CREATE INDEX tickets_responded ON tickets (responded_at) WHERE responded_at IS NOT NULL;
	CREATE INDEX tickets_resolved ON tickets (resolved_at) WHERE resolved_at IS NOT NULL;
	CREATE INDEX tickets_open_risk ON tickets (kind, risk) WHERE risk <> '' AND ` + openStatus + `;`,
}

// openStatus is true for a ticket that still needs work. Queries repeat it
// word for word so PostgreSQL can use the partial index built with it.
const openStatus = "status NOT IN ('resolved', 'closed', 'cancelled')"

// dialectSQL replaces a migration's markers with the dialect's types.
func dialectSQL(d Dialect, sql string) string {
	autoid, blob := "INTEGER PRIMARY KEY", "BLOB"
	if d == Postgres {
		autoid, blob = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BYTEA"
	}
	return strings.NewReplacer("{{autoid}}", autoid, "{{blob}}", blob).Replace(sql)
}
