package dialog

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// NewID returns a unique id with the given prefix, such as "m_" for
// messages. Its first 12 hex digits are the time in milliseconds, so ids
// made later sort after earlier ones; 64 random bits follow.
func NewID(prefix string, now time.Time) string {
	var b [14]byte
	ms := uint64(now.UnixMilli())
	binary.BigEndian.PutUint64(b[:8], ms<<16)
	_, _ = rand.Read(b[6:])
	return prefix + hex.EncodeToString(b[:])
}
