// Package handoff is the desk where conversations the bot hands on wait
// for a human agent: the queue and its order, the agents with their
// states, skill groups and capacity, automatic routing and manual pick,
// transfer and close with a wrap-up, wait estimates, queue timeouts,
// presence with a grace period, and business hours.
//
// The rules live in Desk; the shared state lives behind Store, so one
// process can keep it in memory (MemStore) and several instances can
// share it in a store of their own. Time comes from an injected clock,
// and every timer (wrap-up, grace period, queue limit) is acted on by
// Desk.Sweep, which the caller runs on a ticker.
//
// The channel address of a conversation is personal data: the desk keeps
// it so replies can reach the subscriber, but never logs it.
package handoff
