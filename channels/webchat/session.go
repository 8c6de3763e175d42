package webchat

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
)

// newToken returns a fresh session token: 32 random bytes in base64url.
func newToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

var tokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// validToken reports whether s has the shape of a token we issue.
func validToken(s string) bool { return tokenPattern.MatchString(s) }

// addressOf is the channel address of a session: a hash of its token, so
// the stored address cannot be used to take over the session.
func addressOf(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:16])
}

var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
