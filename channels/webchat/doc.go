// Package webchat is the web chat channel: a websocket at /chat/ws that
// speaks the JSON frames described in docs/webchat-protocol.md, and the
// embedded page at / that uses it.
//
// Each connection has one reader goroutine, which hands the subscriber's
// messages to the dialog one at a time, and one writer goroutine, the only
// one that writes to the socket. A conversation is identified by a session
// token the server issues; only its hash is used as the channel address.
package webchat
