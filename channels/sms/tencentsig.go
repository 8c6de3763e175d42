package sms

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// tc3Algorithm names Tencent Cloud API 3.0's signature method v3.
const tc3Algorithm = "TC3-HMAC-SHA256"

// tc3DefaultContentType is the Content-Type signed, and sent, when a
// tc3Request leaves ContentType empty.
const tc3DefaultContentType = "application/json; charset=utf-8"

// tc3SignedHeaders lists the headers covered by the signature, in the order
// they appear in the canonical request.
const tc3SignedHeaders = "content-type;host"

// tc3Request holds what a Tencent Cloud API 3.0 POST needs to be signed with
// TC3-HMAC-SHA256. Action, Version and Region travel as the X-TC-Action,
// X-TC-Version and X-TC-Region headers; they are not among the signed
// headers, so they do not change the signature. Payload is the exact
// request body, Timestamp the X-TC-Timestamp value in Unix seconds, and
// ContentType the exact Content-Type header (tc3DefaultContentType when
// empty).
type tc3Request struct {
	SecretID, SecretKey, Service, Host, Action, Version, Region string
	Payload                                                     []byte
	Timestamp                                                   int64
	ContentType                                                 string
}

// tc3Authorization signs r and returns the Authorization header value along
// with the two intermediate texts Tencent's documentation shows, the
// canonical request and the string to sign, so they can be checked against
// published examples. The request is a POST to "/" with an empty query
// string; the signed headers are content-type and host, written in lower
// case; the credential date is the UTC date of r.Timestamp.
func tc3Authorization(r tc3Request) (auth string, canonical string, stringToSign string) {
	contentType := r.ContentType
	if contentType == "" {
		contentType = tc3DefaultContentType
	}
	canonical = strings.Join([]string{
		"POST",
		"/",
		"",
		"content-type:" + strings.ToLower(strings.TrimSpace(contentType)) + "\n" +
			"host:" + strings.ToLower(strings.TrimSpace(r.Host)) + "\n",
		tc3SignedHeaders,
		tc3SHA256Hex(r.Payload),
	}, "\n")

	date := time.Unix(r.Timestamp, 0).UTC().Format("2006-01-02")
	scope := date + "/" + r.Service + "/tc3_request"
	stringToSign = tc3Algorithm + "\n" +
		strconv.FormatInt(r.Timestamp, 10) + "\n" +
		scope + "\n" +
		tc3SHA256Hex([]byte(canonical))

	key := tc3HMAC([]byte("TC3"+r.SecretKey), date)
	key = tc3HMAC(key, r.Service)
	key = tc3HMAC(key, "tc3_request")
	signature := hex.EncodeToString(tc3HMAC(key, stringToSign))

	auth = tc3Algorithm +
		" Credential=" + r.SecretID + "/" + scope +
		", SignedHeaders=" + tc3SignedHeaders +
		", Signature=" + signature
	return auth, canonical, stringToSign
}

// tc3SHA256Hex returns the lowercase hex SHA-256 of b.
func tc3SHA256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// tc3HMAC returns HMAC-SHA256 of msg under key, one link of TC3's key
// derivation chain.
func tc3HMAC(key []byte, msg string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msg))
	return mac.Sum(nil)
}
