package wechat

import (
	"crypto/subtle"
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// Reasons a callback is refused before anything is parsed.
var (
	errBadSignature = errors.New("signature does not match")
	errStale        = errors.New("timestamp missing or outside the freshness window")
)

// checkCallback verifies the query's signature (sha1 of the sorted token,
// timestamp and nonce, compared in constant time) and that the timestamp
// is within the freshness window of now, so a recorded callback cannot be
// replayed later.
func checkCallback(q url.Values, token string, now time.Time, window time.Duration) error {
	ts, nonce, sig := q.Get("timestamp"), q.Get("nonce"), q.Get("signature")
	want := util.Signature(token, ts, nonce)
	if sig == "" || subtle.ConstantTimeCompare([]byte(sig), []byte(want)) != 1 {
		return errBadSignature
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errStale
	}
	at := time.Unix(sec, 0)
	if at.Before(now.Add(-window)) || at.After(now.Add(window)) {
		return errStale
	}
	return nil
}
