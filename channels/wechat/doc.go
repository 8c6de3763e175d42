// Package wechat is the WeChat Official Account channel: the callback at
// /wechat that WeChat's servers call with followers' messages and events
// (URL check, plaintext, compatible and safe mode), and delivery of
// replies, in WeChat's passive reply when they are ready in time and
// through the customer-service message API otherwise.
//
// It is built on github.com/silenceper/wechat/v2 with its known traps
// avoided: one OfficialAccount made at start with a race-free token
// cache, the signature and the timestamp checked before the SDK parses
// anything, a body limit, a deadline below WeChat's five seconds, Send
// never called after a failed Serve, the SDK's logger silenced (it would
// log raw messages), and the access token evicted when WeChat says it is
// no longer valid.
package wechat
