// Package dialog is the conversation engine. It accepts normalized inbound
// messages from every channel, keeps one state machine per conversation,
// answers from the knowledge base, routes intents (a human, a fault report,
// a complaint, a ticket query), and hands outbound messages to the outbox.
//
// The engine owns the interfaces it needs: Store for conversations and
// their transcripts, Clock for time, and the outbox's Channel lookup. The
// embedded SQLite store and, for several instances, Redis and PostgreSQL
// stores implement them.
//
// Messages of one conversation are handled one at a time, in arrival
// order. An inbound message, the state change it causes and the replies it
// produces are committed in one transaction, so a crash either keeps all of
// them or none, and a channel acknowledges its provider only afterwards.
package dialog
