package main

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// checkLoopback refuses a target that is not on this machine: loadgen
// only ever loads the host it runs on. The host must be localhost, an
// address in 127.0.0.0/8 or ::1; names other than localhost are refused
// without being resolved, so DNS cannot send the load elsewhere.
func checkLoopback(target string) (*url.URL, error) {
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("target %q: want a base URL such as http://127.0.0.1:8080", target)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("target %q: scheme must be http or https", target)
	}
	host := u.Hostname()
	if !isLoopbackHost(host) {
		return nil, fmt.Errorf("target %q: %s is not a loopback address; loadgen only targets this machine "+
			"(127.0.0.0/8, ::1 or localhost): run it on the gateway's host", target, host)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

// isLoopbackHost reports whether host names this machine.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	if err != nil || a.Zone() != "" {
		return false
	}
	return a.Unmap().IsLoopback()
}

// parseTargets reads repeated or comma-separated -target values.
func parseTargets(values []string) ([]*url.URL, error) {
	var out []*url.URL
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t == "" {
				continue
			}
			u, err := checkLoopback(t)
			if err != nil {
				return nil, err
			}
			out = append(out, u)
		}
	}
	return out, nil
}

// loopbackListen listens at addr (a loopback host:port), for the fakes.
func loopbackListen(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || !isLoopbackHost(host) {
		return nil, fmt.Errorf("listen %q: want a loopback host:port such as 127.0.0.1:0", addr)
	}
	return net.Listen("tcp", addr)
}
