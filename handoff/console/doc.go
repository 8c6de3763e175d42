// Package console is the agent console: the embedded page at /agent/,
// sign-in with agent accounts, and the websocket at /agent/ws through
// which agents take conversations from the desk's queue, talk to
// subscribers on their own channels, write internal notes, open tickets,
// transfer and close with a wrap-up. Its frames are documented in
// docs/agent-console-protocol.md.
//
// The console also runs the desk's loop (see Server.Run): the timers of
// the desk, routing, and the queue updates told to waiting subscribers.
package console
