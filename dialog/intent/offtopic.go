package intent

import "hotline/dialog/kb"

// offTopic is the decision for a message the router called off topic by
// clause of its rule: the knowledge base answers it when it covers that
// subject (see baseCovers), and otherwise the router's intent stands.
func offTopic(r *Router, b *kb.Base, clause int, text string) Decision {
	if b != nil {
		if m := b.Match(text); baseCovers(r, m, clause) {
			return Decision{Match: m}
		}
	}
	return Decision{Intent: OffTopic}
}

// baseCovers reports whether the knowledge base answers m with an entry
// that is itself about the off-topic subject of the message: one of the
// entry's question and alternates is off topic by the same clause. The
// off-topic rules describe subjects a base usually lacks (shop hours,
// handsets); a base with an entry on one of them has made it its
// business, and the entry answers rather than the off-topic reply.
func baseCovers(r *Router, m kb.Result, clause int) bool {
	top, ok := m.Top()
	if m.Verdict != kb.Answer || !ok {
		return false
	}
	for _, p := range append([]string{top.Entry.Question}, top.Entry.Alternates...) {
		if n, c := r.route(p); n == OffTopic && c == clause {
			return true
		}
	}
	return false
}
