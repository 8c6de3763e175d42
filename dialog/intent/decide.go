package intent

import "hotline/dialog/kb"

// Decision is what the bot does with a first message: act on an intent, or
// answer from the knowledge base.
type Decision struct {
	// Intent is the router's intent, or None when the knowledge base decided.
	Intent Name
	// Match is the knowledge base's result; empty when Intent is set.
	Match kb.Result
}

// Decide routes text through r first and, when it finds no intent, matches
// it against b. An off-topic message that b answers with an entry on the
// same off-topic subject is answered (see baseCovers). Either may be nil:
// a nil router finds no intent and a nil base matches nothing.
func Decide(r *Router, b *kb.Base, text string) Decision {
	if r != nil {
		if n, clause := r.route(text); n == OffTopic {
			return offTopic(r, b, clause, text)
		} else if n != None {
			return Decision{Intent: n}
		}
	}
	if b == nil {
		return Decision{Match: kb.Result{Verdict: kb.Unknown}}
	}
	return Decision{Match: b.Match(text)}
}

// Label names the decision for evaluation: the id of the answered entry,
// the name of an actionable intent (agent, status, fault, complaint), or
// "none" for everything else: small talk, cancel, suggestions and unknown
// messages.
func (d Decision) Label() string {
	if d.Intent != None {
		if d.Intent.Actionable() {
			return string(d.Intent)
		}
		return "none"
	}
	if d.Match.Verdict == kb.Answer && len(d.Match.Candidates) > 0 {
		return d.Match.Candidates[0].Entry.ID
	}
	return "none"
}
