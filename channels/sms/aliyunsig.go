package sms

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"slices"
	"strings"
)

// aliyunHexDigits are the digits of a percent-encoded byte; Alibaba Cloud
// wants them in upper case.
const aliyunHexDigits = "0123456789ABCDEF"

// aliyunPercentEncode encodes s the way Alibaba Cloud's RPC (POP) signature
// version 1.0 requires: RFC 3986 percent-encoding of the UTF-8 bytes, where
// only A-Z, a-z, 0-9, '-', '_', '.' and '~' stay as they are. A space becomes
// %20 (never '+') and '*' becomes %2A.
func aliyunPercentEncode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if aliyunUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(aliyunHexDigits[c>>4])
		b.WriteByte(aliyunHexDigits[c&0x0f])
	}
	return b.String()
}

// aliyunUnreserved reports whether c is one of RFC 3986's unreserved
// characters, which Alibaba Cloud leaves unencoded.
func aliyunUnreserved(c byte) bool {
	switch {
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return true
	}
	return c == '-' || c == '_' || c == '.' || c == '~'
}

// aliyunStringToSign builds the text Alibaba Cloud signs for an RPC request:
// the HTTP method, the encoded "/", and the encoded canonicalized query, joined
// with '&'. The canonicalized query lists every parameter except Signature,
// sorted by name, each as encoded name '=' encoded value, joined with '&'.
func aliyunStringToSign(method string, params map[string]string) string {
	names := make([]string, 0, len(params))
	for name := range params {
		if name != "Signature" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var q strings.Builder
	for i, name := range names {
		if i > 0 {
			q.WriteByte('&')
		}
		q.WriteString(aliyunPercentEncode(name))
		q.WriteByte('=')
		q.WriteString(aliyunPercentEncode(params[name]))
	}
	return method + "&" + aliyunPercentEncode("/") + "&" + aliyunPercentEncode(q.String())
}

// aliyunSignature computes the Signature parameter of an Alibaba Cloud RPC
// request (SignatureMethod HMAC-SHA1, SignatureVersion 1.0): base64 of
// HMAC-SHA1 over aliyunStringToSign, keyed with the AccessKey secret
// followed by '&'. params holds every other request parameter, common ones
// included; a Signature entry, if present, is ignored.
func aliyunSignature(secret, method string, params map[string]string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(aliyunStringToSign(method, params)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
