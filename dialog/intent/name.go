package intent

// Name identifies an intent. The router returns the names listed in its
// phrase file; the constants below are the ones the dialog acts on.
type Name string

// Intents the dialog acts on, and small talk it answers politely.
const (
	// None means the router found no intent; the knowledge base decides.
	None Name = ""
	// Agent asks for a human agent.
	Agent Name = "agent"
	// Cancel abandons the current flow or starts over.
	Cancel Name = "cancel"
	// Status asks where a ticket stands.
	Status Name = "status"
	// Fault reports a service that is not working now.
	Fault Name = "fault"
	// Complaint lodges a complaint.
	Complaint Name = "complaint"
	// Greeting is a hello with nothing else.
	Greeting Name = "greeting"
	// Thanks is a thank-you or goodbye with nothing else.
	Thanks Name = "thanks"
	// Identity asks whether the subscriber talks to a bot or a person.
	Identity Name = "identity"
	// OffTopic is chatter outside customer service that shares words with
	// it: buying or repairing a handset, other businesses.
	OffTopic Name = "offtopic"
)

// Actionable reports whether the intent starts a flow of its own (a
// handoff, a fault report, a complaint or a status query). Cancel, small
// talk and unknown names are not actionable on a first message.
func (n Name) Actionable() bool {
	switch n {
	case Agent, Status, Fault, Complaint:
		return true
	}
	return false
}
