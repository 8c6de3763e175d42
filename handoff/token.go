package handoff

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
)

// Token is a session token as the console holds it. It prints, logs and
// marshals as <secret>; Reveal gives the value, for the one place that
// sends it to the console.
type Token string

// tokenBytes is how many random bytes a token has.
const tokenBytes = 32

// hidden is how a Token shows anywhere but Reveal.
const hidden = "<secret>"

// newToken returns a fresh random token.
func newToken() Token {
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return Token(base64.RawURLEncoding.EncodeToString(b))
}

// Reveal returns the token's value.
func (t Token) Reveal() string { return string(t) }

// String returns <secret>.
func (t Token) String() string { return hidden }

// GoString returns <secret>, for %#v.
func (t Token) GoString() string { return hidden }

// LogValue returns <secret>.
func (t Token) LogValue() slog.Value { return slog.StringValue(hidden) }

// MarshalText returns <secret>, so JSON and text encodings hide it too.
func (t Token) MarshalText() ([]byte, error) { return []byte(hidden), nil }

// hash returns the hex SHA-256 of the token, the only form a store keeps.
func (t Token) hash() string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}
