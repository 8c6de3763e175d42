package console

import (
	"encoding/json"
	"sync"
)

// hub knows this instance's open sockets: whose they are and which
// conversations supervisors are looking at. Who holds a conversation is
// the desk's to say. It is safe for concurrent use.
type hub struct {
	mu       sync.Mutex
	byAgent  map[string]map[*conn]struct{}
	watchers map[string]map[*conn]struct{}
}

func newHub() *hub {
	return &hub{byAgent: map[string]map[*conn]struct{}{}, watchers: map[string]map[*conn]struct{}{}}
}

// add registers a socket and reports whether it is the agent's first.
func (h *hub) add(c *conn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	set := h.byAgent[c.agent.ID]
	if set == nil {
		set = map[*conn]struct{}{}
		h.byAgent[c.agent.ID] = set
	}
	set[c] = struct{}{}
	return len(set) == 1
}

// remove forgets a socket and reports whether it was the agent's last.
func (h *hub) remove(c *conn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, set := range h.watchers {
		delete(set, c)
		if len(set) == 0 {
			delete(h.watchers, id)
		}
	}
	set := h.byAgent[c.agent.ID]
	delete(set, c)
	if len(set) > 0 {
		return false
	}
	delete(h.byAgent, c.agent.ID)
	return true
}

// watch lets a socket follow a conversation it does not hold.
func (h *hub) watch(conversationID string, c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	set := h.watchers[conversationID]
	if set == nil {
		set = map[*conn]struct{}{}
		h.watchers[conversationID] = set
	}
	set[c] = struct{}{}
}

// following returns the sockets here that see a conversation live: the
// holder's and the watchers'.
func (h *hub) following(conversationID, holder string) []*conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*conn
	if holder != "" {
		for c := range h.byAgent[holder] {
			out = append(out, c)
		}
	}
	for c := range h.watchers[conversationID] {
		if holder == "" || c.agent.ID != holder {
			out = append(out, c)
		}
	}
	return out
}

// ofAgent returns an agent's sockets.
func (h *hub) ofAgent(agentID string) []*conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*conn, 0, len(h.byAgent[agentID]))
	for c := range h.byAgent[agentID] {
		out = append(out, c)
	}
	return out
}

// agentIDs returns the agents with a socket here.
func (h *hub) agentIDs() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]string, 0, len(h.byAgent))
	for id := range h.byAgent {
		out = append(out, id)
	}
	return out
}

// all returns every socket.
func (h *hub) all() []*conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*conn
	for _, set := range h.byAgent {
		for c := range set {
			out = append(out, c)
		}
	}
	return out
}

// count returns how many sockets are open.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, set := range h.byAgent {
		n += len(set)
	}
	return n
}

// encode marshals a frame once for many sockets. Frames are the
// console's own structs, which always marshal; nil means one did not, and
// nothing is sent.
func encode(frame any) []byte {
	b, err := json.Marshal(frame)
	if err != nil {
		return nil
	}
	return b
}

// sendAll sends one frame to each socket.
func sendAll(cs []*conn, frame any) {
	if len(cs) == 0 {
		return
	}
	b := encode(frame)
	for _, c := range cs {
		c.send(b)
	}
}
