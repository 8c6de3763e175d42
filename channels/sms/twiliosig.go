package sms

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
)

// twilioDefaultPorts maps a URL scheme to the port Twilio may add to, or
// drop from, the URL it signs.
var twilioDefaultPorts = map[string]string{"https": "443", "http": "80"}

// twilioSignedData returns the text Twilio signs for one request: the full
// URL exactly as called, then every parameter written as its name followed
// by its value, with no separators. Names come in sorted order; a name that
// appears more than once contributes each of its values, also sorted.
func twilioSignedData(fullURL string, params url.Values) string {
	var b strings.Builder
	b.WriteString(fullURL)
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		values := slices.Clone(params[name])
		slices.Sort(values)
		for _, v := range values {
			b.WriteString(name)
			b.WriteString(v)
		}
	}
	return b.String()
}

// TwilioSignature computes the X-Twilio-Signature header value for a
// request: base64 of HMAC-SHA1, keyed with the account's Auth Token, over
// the text built by twilioSignedData.
func TwilioSignature(authToken, fullURL string, params url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(twilioSignedData(fullURL, params)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// twilioValid reports whether got is a valid X-Twilio-Signature for the
// request. Twilio is not consistent about ports in the URL it signs, so the
// signature is accepted over the URL as given and over one variant: with the
// scheme's default port added when the URL names no port, or with the port
// removed when it names one (Twilio's own SDKs accept the same two forms).
// Every form is compared in constant time, and an empty got never validates.
func twilioValid(authToken, fullURL string, params url.Values, got string) bool {
	if got == "" {
		return false
	}
	valid := false
	for _, form := range twilioURLForms(fullURL) {
		want := TwilioSignature(authToken, form, params)
		if hmac.Equal([]byte(want), []byte(got)) {
			valid = true
		}
	}
	return valid
}

// twilioURLForms returns fullURL followed by its port variant, if it has
// one: the URL without its port when it names a port, or the URL with the
// scheme's default port when it names none and the scheme is http or https.
// The URL is edited as text so that its path and query keep their exact
// encoding.
func twilioURLForms(fullURL string) []string {
	forms := []string{fullURL}
	scheme, rest, ok := strings.Cut(fullURL, "://")
	if !ok {
		return forms
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	userinfo := ""
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		userinfo, authority = authority[:at+1], authority[at+1:]
	}
	host, hasPort := twilioSplitPort(authority)
	prefix := scheme + "://" + userinfo + host
	switch {
	case hasPort:
		forms = append(forms, prefix+tail)
	case twilioDefaultPorts[strings.ToLower(scheme)] != "":
		forms = append(forms, prefix+":"+twilioDefaultPorts[strings.ToLower(scheme)]+tail)
	}
	return forms
}

// twilioSplitPort splits a URL authority (without user information) into
// its host and reports whether a port followed it. Bracketed IPv6 hosts are
// kept whole.
func twilioSplitPort(authority string) (host string, hasPort bool) {
	if strings.HasPrefix(authority, "[") {
		end := strings.IndexByte(authority, ']')
		if end < 0 || end+1 >= len(authority) || authority[end+1] != ':' {
			return authority, false
		}
		return authority[:end+1], true
	}
	colon := strings.LastIndexByte(authority, ':')
	if colon < 0 {
		return authority, false
	}
	return authority[:colon], true
}

// twilioBodyHash returns the lowercase hex SHA-256 of a raw request body.
// For JSON-bodied webhooks Twilio appends it to the URL as bodySHA256 and
// signs that URL with no parameters.
func twilioBodyHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}
