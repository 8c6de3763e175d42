package main

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// roundRobin is a TCP load balancer in front of gateway instances: each
// new connection goes to the next backend in turn, skipping one that does
// not answer, as a load balancer's health check would.
type roundRobin struct {
	ln       net.Listener
	backends []string
	next     atomic.Int64
	wg       sync.WaitGroup
}

// startRoundRobin listens on a free loopback port in front of backends.
func startRoundRobin(t *testing.T, backends ...string) *roundRobin {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &roundRobin{ln: ln, backends: backends}
	p.wg.Go(p.serve)
	t.Cleanup(func() { _ = ln.Close(); p.wg.Wait() })
	return p
}

// addr is where clients connect.
func (p *roundRobin) addr() string { return p.ln.Addr().String() }

func (p *roundRobin) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Go(func() { p.pipe(c) })
	}
}

// pipe connects a client to the next backend that answers.
func (p *roundRobin) pipe(c net.Conn) {
	defer c.Close()
	for range p.backends {
		b := p.backends[int(p.next.Add(1)-1)%len(p.backends)]
		up, err := net.Dial("tcp", b)
		if err != nil {
			continue
		}
		defer up.Close()
		done := make(chan struct{}, 2)
		go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
		go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
		<-done
		return
	}
}
