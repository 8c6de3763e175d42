// Package channels defines what every channel (web chat, WeChat, SMS)
// exchanges with the rest of the gateway: a normalized inbound message, a
// normalized outbound message, the Receiver that accepts inbound messages
// and the small contract a channel implements to deliver outbound ones.
//
// Each channel lives in its own subpackage and is wired explicitly in
// cmd/gateway; nothing registers itself.
package channels
