package webchat

import "sync"

// hub knows the live connections of each session address. A session can
// have several (two tabs); each gets every message.
type hub struct {
	mu    sync.RWMutex
	conns map[string]map[*conn]struct{}
	all   map[*conn]struct{}
}

func newHub() *hub {
	return &hub{conns: make(map[string]map[*conn]struct{}), all: make(map[*conn]struct{})}
}

func (h *hub) add(c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.all[c] = struct{}{}
}

func (h *hub) bind(c *conn, address string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	set := h.conns[address]
	if set == nil {
		set = make(map[*conn]struct{})
		h.conns[address] = set
	}
	set[c] = struct{}{}
}

func (h *hub) remove(c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.all, c)
	if set := h.conns[c.address]; set != nil {
		delete(set, c)
		if len(set) == 0 {
			delete(h.conns, c.address)
		}
	}
}

// sessionConns returns the live connections of an address.
func (h *hub) sessionConns(address string) []*conn {
	h.mu.RLock()
	defer h.mu.RUnlock()
	set := h.conns[address]
	out := make([]*conn, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	return out
}

// bound returns the live connections that are bound to a session.
func (h *hub) bound() []*conn {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []*conn
	for _, set := range h.conns {
		for c := range set {
			out = append(out, c)
		}
	}
	return out
}

func (h *hub) snapshot() []*conn {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]*conn, 0, len(h.all))
	for c := range h.all {
		out = append(out, c)
	}
	return out
}

func (h *hub) count() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.all)
}
