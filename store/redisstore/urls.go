package redisstore

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/redis/go-redis/v9"
)

const acceptedSchemes = "use redis://, rediss://, redis+cluster://, rediss+cluster://, redis+sentinel:// or rediss+sentinel://"

// Default ports for hosts given without one.
const (
	defaultRedisPort    = "6379"
	defaultSentinelPort = "26379"
)

var schemePattern = regexp.MustCompile(`^[a-z][a-z0-9+.-]*$`)

// schemeOf returns the lower-cased scheme of rawURL, if it is one this
// package accepts.
func schemeOf(rawURL string) (string, error) {
	scheme, _, found := strings.Cut(rawURL, "://")
	scheme = strings.ToLower(scheme)
	if !found || !schemePattern.MatchString(scheme) {
		return "", errNoURL
	}
	switch scheme {
	case "redis", "rediss", "redis+cluster", "rediss+cluster", "redis+sentinel", "rediss+sentinel":
		return scheme, nil
	}
	return "", fmt.Errorf("redisstore: unsupported Redis URL scheme %q: %s", scheme, acceptedSchemes)
}

// splitScheme maps an accepted scheme to the kind of deployment and the
// plain scheme ("redis" or "rediss") go-redis expects.
func splitScheme(scheme string) (kind, base string) {
	base, variant, _ := strings.Cut(scheme, "+")
	switch variant {
	case "cluster":
		return kindCluster, base
	case "sentinel":
		return kindSentinel, base
	}
	return kindStandalone, base
}

// clusterOptions parses a redis+cluster or rediss+cluster URL.
func clusterOptions(base, rawURL string) (*redis.ClusterOptions, error) {
	plain, err := singleHostURL(base, rawURL, defaultRedisPort)
	if err != nil {
		return nil, err
	}
	return redis.ParseClusterURL(plain)
}

// sentinelOptions parses a redis+sentinel or rediss+sentinel URL.
func sentinelOptions(base, rawURL string) (*redis.FailoverOptions, error) {
	plain, err := singleHostURL(base, rawURL, defaultSentinelPort)
	if err != nil {
		return nil, err
	}
	opts, err := redis.ParseFailoverURL(plain)
	if err != nil {
		return nil, err
	}
	if err := checkSentinel(opts); err != nil {
		return nil, err
	}
	return opts, nil
}

// checkSentinel rejects options that redis.NewFailoverClient cannot use.
func checkSentinel(opts *redis.FailoverOptions) error {
	if opts.MasterName == "" {
		return errors.New("master_name is required")
	}
	if opts.RouteByLatency || opts.RouteRandomly {
		return errors.New("route_by_latency and route_randomly are not supported")
	}
	return nil
}

// singleHostURL rewrites a URL whose host part lists several hosts separated
// by commas into the form go-redis parses: the plain scheme, the first host
// in the host part and every other host as an addr query parameter.
func singleHostURL(base, rawURL, defaultPort string) (string, error) {
	userinfo, hostPart, rest := splitURL(rawURL)
	u, err := url.Parse(base + "://" + userinfo + rest)
	if err != nil {
		return "", err
	}
	query := u.Query()
	addrs, err := withPorts(append(splitHosts(hostPart), query["addr"]...), defaultPort)
	if err != nil {
		return "", err
	}
	if len(addrs) == 0 {
		return "", errors.New("no host given")
	}
	u.Host = addrs[0]
	query["addr"] = addrs[1:]
	u.RawQuery = query.Encode()
	return u.String(), nil
}

// splitURL splits rawURL after its scheme into the user information with
// its "@" (or ""), the host part and the rest (path, query and fragment).
func splitURL(rawURL string) (userinfo, hostPart, rest string) {
	_, afterScheme, _ := strings.Cut(rawURL, "://")
	end := strings.IndexAny(afterScheme, "/?#")
	if end < 0 {
		end = len(afterScheme)
	}
	authority, rest := afterScheme[:end], afterScheme[end:]
	at := strings.LastIndex(authority, "@")
	return authority[:at+1], authority[at+1:], rest
}

func splitHosts(hostPart string) []string {
	var hosts []string
	for _, h := range strings.Split(hostPart, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	return hosts
}

// withPorts adds defaultPort to every address that has none.
func withPorts(addrs []string, defaultPort string) ([]string, error) {
	out := make([]string, 0, len(addrs))
	for _, a := range addrs {
		full, err := withPort(a, defaultPort)
		if err != nil {
			return nil, err
		}
		out = append(out, full)
	}
	return out, nil
}

func withPort(addr, defaultPort string) (string, error) {
	if host, port, err := net.SplitHostPort(addr); err == nil && host != "" && port != "" {
		return addr, nil
	}
	host := addr
	if inner, ok := strings.CutPrefix(addr, "["); ok {
		host, ok = strings.CutSuffix(inner, "]")
		if !ok {
			return "", fmt.Errorf("invalid host %q", addr)
		}
	}
	if host == "" || strings.ContainsAny(host, "[]") || (strings.Contains(host, ":") && !strings.HasPrefix(addr, "[")) {
		return "", fmt.Errorf("invalid host %q", addr)
	}
	return net.JoinHostPort(host, defaultPort), nil
}

// unwrapURLError drops the URL that net/url puts in its errors, since it
// may hold a password.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// secrets are the passwords found in a URL.
type secrets []string

// secretsOf collects the passwords of rawURL, as written and decoded, from
// its user information and its password query parameters.
func secretsOf(rawURL string) secrets {
	var s secrets
	userinfo, _, rest := splitURL(rawURL)
	if _, pw, ok := strings.Cut(strings.TrimSuffix(userinfo, "@"), ":"); ok {
		s = s.add(pw)
	}
	rest, _, _ = strings.Cut(rest, "#")
	_, rawQuery, _ := strings.Cut(rest, "?")
	query, _ := url.ParseQuery(rawQuery)
	for _, name := range []string{"password", "sentinel_password"} {
		for _, pw := range query[name] {
			s = s.add(pw)
		}
	}
	return s
}

func (s secrets) add(pw string) secrets {
	if pw == "" {
		return s
	}
	s = append(s, pw)
	if decoded, err := url.PathUnescape(pw); err == nil && decoded != pw {
		s = append(s, decoded)
	}
	return s
}

// clean returns err unchanged when its text holds none of the secrets, and
// otherwise a plain error with the secrets masked.
func (s secrets) clean(err error) error {
	msg := err.Error()
	leaked := false
	for _, pw := range s {
		if strings.Contains(msg, pw) {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
			leaked = true
		}
	}
	if !leaked {
		return err
	}
	return errors.New(msg)
}
