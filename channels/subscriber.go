package channels

import (
	"crypto/sha256"
	"encoding/hex"
)

// SubscriberFor is the subscriber id of a phone number in E.164 form. It
// is the same whichever channel the number writes from or is bound on,
// so the number's tickets are found on all of them. The id is a digest
// rather than the number, so records and logs that carry it do not spell
// the number out; it is not a secret (numbers can be tried against it).
func SubscriberFor(e164 string) string {
	sum := sha256.Sum256([]byte("hotline subscriber\x00" + e164))
	return "sub_" + hex.EncodeToString(sum[:12])
}
