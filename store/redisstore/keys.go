package redisstore

import "strings"

// DefaultPrefix is the key prefix used when Keys.Prefix is empty.
const DefaultPrefix = "hotline"

// Keys builds Redis key names under a common prefix.
//
// The prefix should not contain braces, since they would interfere with the
// hash tags that Tagged adds.
type Keys struct {
	// Prefix starts every key; DefaultPrefix when empty.
	Prefix string
}

func (k Keys) prefix() string {
	if k.Prefix == "" {
		return DefaultPrefix
	}
	return k.Prefix
}

// Key joins the prefix and parts with ":", as in "hotline:a:b".
func (k Keys) Key(parts ...string) string {
	return joinParts(k.prefix(), parts)
}

// Tagged returns "<prefix>{<tag>}:<part>:...". Redis Cluster hashes only the
// tag of such a key, so every key built with one tag (a conversation id, say)
// lives in the same slot and several of them may be used by one command or
// script. The tag should not be empty: Cluster ignores an empty tag.
func (k Keys) Tagged(tag string, parts ...string) string {
	return joinParts(k.prefix()+"{"+tag+"}", parts)
}

func joinParts(head string, parts []string) string {
	if len(parts) == 0 {
		return head
	}
	return head + ":" + strings.Join(parts, ":")
}

// hashTag reports the part of key that Redis Cluster hashes when that is not
// the whole key: the text between the first "{" and the next "}", if any.
func hashTag(key string) (string, bool) {
	_, afterOpen, found := strings.Cut(key, "{")
	if !found {
		return "", false
	}
	tag, _, found := strings.Cut(afterOpen, "}")
	if !found || tag == "" {
		return "", false
	}
	return tag, true
}

// companionKey returns a key named after key, with suffix, in the same
// Cluster slot as key. That holds for every key with a hash tag and every
// key without "}".
func companionKey(key, suffix string) string {
	if _, tagged := hashTag(key); tagged || strings.Contains(key, "}") {
		return key + ":" + suffix
	}
	return "{" + key + "}:" + suffix
}
